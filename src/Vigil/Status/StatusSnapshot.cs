using System.Text.Json.Serialization;

namespace Vigil.Status;

/// <summary>What `vigil status` shows: the daemon's state at one instant. Built by the daemon's loops.</summary>
internal sealed record StatusSnapshot(
    [property: JsonPropertyName("vrrp")] IReadOnlyList<VrrpInstanceStatus> Vrrp,
    [property: JsonPropertyName("virtual_servers")] IReadOnlyList<VirtualServerStatus> VirtualServers)
{
    public static readonly StatusSnapshot Empty = new([], []);
}

internal sealed record VrrpInstanceStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("vrid")] int Vrid,
    [property: JsonPropertyName("interface")] string Interface,
    [property: JsonPropertyName("base_priority")] int BasePriority,
    [property: JsonPropertyName("effective_priority")] int EffectivePriority,
    [property: JsonPropertyName("vips")] IReadOnlyList<string> Vips,
    [property: JsonPropertyName("trackers")] IReadOnlyList<TrackerStatus> Trackers);

internal sealed record TrackerStatus(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("up")] bool Up,
    [property: JsonPropertyName("weight")] int Weight);

internal sealed record VirtualServerStatus(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("protocol")] string Protocol,
    [property: JsonPropertyName("real_servers")] IReadOnlyList<RealServerStatus> RealServers);

internal sealed record RealServerStatus(
    [property: JsonPropertyName("address")] string Address,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("weight")] int Weight,
    [property: JsonPropertyName("alive")] bool Alive);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(StatusSnapshot))]
internal sealed partial class StatusJsonContext : JsonSerializerContext;

namespace Vigil.Testing;

/// <summary>One L2 segment: a bridge in the lab's switch namespace. Hosts attach to it with veth pairs.</summary>
public sealed class LabSegment
{
    internal LabSegment(Lab lab, string name, string bridge, string? ipv4Prefix, string? ipv6Prefix)
    {
        Lab = lab;
        Name = name;
        Bridge = bridge;
        Ipv4Prefix = ipv4Prefix;
        Ipv6Prefix = ipv6Prefix;
    }

    public Lab Lab { get; }

    public string Name { get; }

    /// <summary>The bridge device name inside <see cref="Lab.SwitchNamespace"/>.</summary>
    public string Bridge { get; }

    /// <summary>"10.77.0." for the default segment: hosts get prefix + their index; null means no automatic IPv4.</summary>
    public string? Ipv4Prefix { get; }

    /// <summary>"fd77::" for the default segment; null means no automatic IPv6.</summary>
    public string? Ipv6Prefix { get; }

    internal int NextHostIndex { get; set; } = 1;

    /// <summary>Starts tshark on this segment's bridge.</summary>
    public Task<LabCapture> StartCaptureAsync(string captureFilter = "") =>
        Lab.StartCaptureAsync(captureFilter, this);
}

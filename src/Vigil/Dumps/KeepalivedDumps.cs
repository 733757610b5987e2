using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vigil.Dumps;

/// <summary>
/// Writes keepalived's dump formats. Layouts were taken from keepalived 2.2.7's own output in the lab
/// (/tmp/keepalived.json on SIGRTMIN+2 and /tmp/keepalived.stats on USR2), field order included.
/// </summary>
internal static class KeepalivedDumps
{
    public const string DefaultJsonFile = "/tmp/keepalived.json";
    public const string DefaultStatsFile = "/tmp/keepalived.stats";
    public const string DefaultDataFile = "/tmp/keepalived.data";

    /// <summary>JSON version 1: an array of {"data":{...},"stats":{...}}, one per instance.</summary>
    public static string Json(IEnumerable<VrrpDumpEntry> entries)
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping: keepalived writes quotes and apostrophes in script names as they are.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteStartObject("data");
                WriteData(json, entry.Data);
                json.WriteEndObject();
                json.WriteStartObject("stats");
                WriteStats(json, entry.Stats);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // keepalived compat: integer flags where keepalived prints 0/1, booleans where it prints true/false.
    private static void WriteData(Utf8JsonWriter json, VrrpDumpData d)
    {
        json.WriteString("iname", d.Iname);
        json.WriteNumber("dont_track_primary", d.DontTrackPrimary ? 1 : 0);
        json.WriteNumber("skip_check_adv_addr", d.SkipCheckAdvAddr ? 1 : 0);
        json.WriteNumber("strict_mode", d.StrictMode ? 1 : 0);
        json.WriteString("vmac_ifname", d.VmacInterface);
        json.WriteString("ifp_ifname", d.Interface);
        json.WriteNumber("master_priority", d.MasterPriority);
        json.WriteNumber("last_transition", d.LastTransitionUnixSeconds);
        json.WriteNumber("garp_delay", d.GarpDelaySeconds);
        json.WriteNumber("garp_refresh", d.GarpRefreshSeconds);
        json.WriteNumber("garp_rep", d.GarpRepeat);
        json.WriteNumber("garp_refresh_rep", d.GarpRefreshRepeat);
        json.WriteNumber("garp_lower_prio_delay", d.GarpLowerPrioDelaySeconds);
        json.WriteNumber("garp_lower_prio_rep", d.GarpLowerPrioRepeat);
        json.WriteNumber("lower_prio_no_advert", d.LowerPrioNoAdvert ? 1 : 0);
        json.WriteNumber("higher_prio_send_advert", d.HigherPrioSendAdvert ? 1 : 0);
        json.WriteNumber("vrid", d.Vrid);
        json.WriteNumber("base_priority", d.BasePriority);
        json.WriteNumber("effective_priority", d.EffectivePriority);
        json.WriteBoolean("vipset", d.VipSet);
        json.WriteBoolean("promote_secondaries", d.PromoteSecondaries);
        json.WriteNumber("adver_int", d.AdvertIntervalSeconds);
        json.WriteNumber("master_adver_int", d.MasterAdvertIntervalSeconds);
        json.WriteNumber("accept", d.Accept ? 1 : 0);
        json.WriteBoolean("nopreempt", d.Nopreempt);
        json.WriteNumber("preempt_delay", d.PreemptDelaySeconds);
        json.WriteNumber("state", d.State);
        json.WriteNumber("wantstate", d.WantState);
        json.WriteNumber("version", d.Version);
        json.WriteBoolean("smtp_alert", d.SmtpAlert);
        json.WriteBoolean("notify_deleted", d.NotifyDeleted);
        WriteStrings(json, "vips", d.Vips);
        if (d.ExcludedVips.Count > 0)
        {
            WriteStrings(json, "evips", d.ExcludedVips);
        }
        if (d.TrackScripts.Count > 0)
        {
            WriteStrings(json, "track_script", d.TrackScripts);
        }
        json.WriteNumber("auth_type", d.AuthType);
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteStats(Utf8JsonWriter json, VrrpDumpStats s)
    {
        json.WriteNumber("advert_rcvd", s.AdvertReceived);
        json.WriteNumber("advert_sent", s.AdvertSent);
        json.WriteNumber("become_master", s.BecomeMaster);
        json.WriteNumber("release_master", s.ReleaseMaster);
        json.WriteNumber("packet_len_err", s.PacketLengthErrors);
        json.WriteNumber("advert_interval_err", s.AdvertIntervalErrors);
        json.WriteNumber("ip_ttl_err", s.IpTtlErrors);
        json.WriteNumber("invalid_type_rcvd", s.InvalidTypeReceived);
        json.WriteNumber("addr_list_err", s.AddressListErrors);
        json.WriteNumber("invalid_authtype", s.InvalidAuthType);
        json.WriteNumber("authtype_mismatch", s.AuthTypeMismatch);
        json.WriteNumber("auth_failure", s.AuthFailure);
        json.WriteNumber("pri_zero_rcvd", s.PriorityZeroReceived);
        json.WriteNumber("pri_zero_sent", s.PriorityZeroSent);
    }

    /// <summary>The USR2 stats file, laid out as keepalived 2.2.7 writes /tmp/keepalived.stats.</summary>
    public static string Stats(IEnumerable<VrrpDumpEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            var s = entry.Stats;
            text.Append(CultureInfo.InvariantCulture, $"VRRP Instance: {entry.Data.Iname}\n");
            text.Append("  Advertisements:\n");
            text.Append(CultureInfo.InvariantCulture, $"    Received: {s.AdvertReceived}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Sent: {s.AdvertSent}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Became master: {s.BecomeMaster}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Released master: {s.ReleaseMaster}\n");
            text.Append("  Packet Errors:\n");
            text.Append(CultureInfo.InvariantCulture, $"    Length: {s.PacketLengthErrors}\n");
            text.Append(CultureInfo.InvariantCulture, $"    TTL: {s.IpTtlErrors}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Invalid Type: {s.InvalidTypeReceived}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Advertisement Interval: {s.AdvertIntervalErrors}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Address List: {s.AddressListErrors}\n");
            text.Append("  Authentication Errors:\n");
            text.Append(CultureInfo.InvariantCulture, $"    Invalid Type: {s.InvalidAuthType}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Type Mismatch: {s.AuthTypeMismatch}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Failure: {s.AuthFailure}\n");
            text.Append("  Priority Zero:\n");
            text.Append(CultureInfo.InvariantCulture, $"    Received: {s.PriorityZeroReceived}\n");
            text.Append(CultureInfo.InvariantCulture, $"    Sent: {s.PriorityZeroSent}\n");
        }
        return text.ToString();
    }

    /// <summary>Writes a dump file as keepalived does: replaced whole, mode 0600.</summary>
    public static void WriteFile(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}

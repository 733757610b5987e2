using System.Net;
using System.Text;
using Vigil.Checks;
using Vigil.Checks.Options;
using Vigil.Checks.Probes;
using Vigil.Checks.Runner;
using Vigil.Config;

namespace Vigil.Balancing;

/// <summary>Turns checker blocks of the config into the runner's registrations (options, timing, probe).</summary>
internal static class CheckerMapper
{
    /// <summary>The registrations for one real server; checkers Vigil cannot run are reported and skipped.</summary>
    public static IReadOnlyList<CheckerRegistration> Map(KeepalivedConfig config, RealServerConfig rs, IPEndPoint endpoint,
        ProbeFactory probes, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(rs);
        var list = new List<CheckerRegistration>();
        for (var i = 0; i < rs.Checkers.Count; i++)
        {
            var c = rs.Checkers[i];
            var name = rs.Checkers.Count == 1 ? c.Keyword : $"{c.Keyword}#{i + 1}";
            var timing = Timing(c);
            var connect = new ConnectOptions(c.ConnectIp, c.ConnectPort, c.BindTo, c.BindPort, c.BindInterface, c.Fwmark is { } f ? (uint)f : null);
            ICheckProbe? probe = c switch
            {
                HttpCheckConfig h => probes.Http(endpoint, timing, connect, Http(h)),
                TcpCheckConfig => probes.Tcp(endpoint, timing, connect),
                SmtpCheckConfig s => probes.Smtp(endpoint, timing, connect, new SmtpCheckOptions(s.HeloName ?? SmtpCheckOptions.DefaultHeloName)),
                DnsCheckConfig d => CheckerKeywords.TryParseDnsType(d.Type, out var type)
                    ? probes.Dns(endpoint, timing, connect, new DnsCheckOptions(type, d.Name))
                    : Skip($"DNS_CHECK type {d.Type} is not supported"),
                MiscCheckConfig m => probes.Misc(timing with { ConnectTimeout = m.Timeout > TimeSpan.Zero ? m.Timeout : c.DelayLoop },
                    new MiscCheckOptions(m.Path, m.Timeout > TimeSpan.Zero ? m.Timeout : null, m.Dynamic, m.User, m.Group)),
                PingCheckConfig => probes.Ping(endpoint, timing, connect),
                UdpCheckConfig u => probes.Udp(endpoint, timing, connect, new UdpCheckOptions(
                    u.Payload is { } p ? HexPattern.Parse(p, allowWildcards: false).Bytes.ToArray() : null,
                    u.RequireReply is not null,
                    u.RequireReply is { } r ? HexPattern.Parse(r) : null,
                    u.MinReplyLength,
                    u.MaxReplyLength)),
                FileCheckConfig file => config.TrackFiles.FirstOrDefault(t => t.Name == file.TrackFile) is { } tf
                    ? ProbeFactory.File(new FileCheckOptions(tf.File, file.Weight, file.WeightReverse, file.Dynamic))
                    : Skip($"FILE_CHECK track_file {file.TrackFile} is not defined"),
                _ => Skip($"{c.Keyword} is not supported"),
            };
            if (probe is not null) list.Add(new CheckerRegistration(name, timing, probe));

            ICheckProbe? Skip(string why)
            {
                problems.Add($"real server {endpoint}: {why}; checker ignored");
                return null;
            }
        }
        return list;
    }

    public static CheckTiming Timing(CheckerConfig c) =>
        new(c.ConnectTimeout, c.Retry, c.DelayBeforeRetry, c.DelayLoop, c.Warmup, c.Alpha, c.LogAllFailures);

    private static HttpCheckOptions Http(HttpCheckConfig h)
    {
        var protocol = CheckerKeywords.TryParseHttpProtocol(h.HttpProtocol, out var p) ? p : HttpProtocol.Http10;
        var urls = h.Urls.Select(u => new HttpUrl(
            u.Path,
            u.Digest,
            [.. u.StatusCodes.Select(s => new Vigil.Checks.Options.StatusCodeRange(s.Low, s.High))],
            u.Virtualhost,
            u.Regex,
            u.RegexNoMatch,
            [.. u.RegexOptions],
            u.RegexMinOffset ?? 0,
            u.RegexMaxOffset)).ToList();
        return new HttpCheckOptions(urls, h.UseSsl, protocol, h.Virtualhost, h.EnableSni, h.SniName, h.FastRecovery);
    }

    internal static string Describe(byte[] bytes) => Encoding.ASCII.GetString(bytes);
}

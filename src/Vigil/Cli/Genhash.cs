using System.CommandLine;

namespace Vigil.Cli;

/// <summary>What genhash was asked to fetch.</summary>
internal sealed record GenhashRequest(
    string Server, int Port, string Url, bool UseSsl, bool UseSni, string? VirtualHost,
    string Protocol, TimeSpan Timeout, int? Fwmark, bool Verbose);

/// <summary>keepalived's genhash options (keepalived --genhash / -T).</summary>
internal static class Genhash
{
    public static Command Build(Func<GenhashRequest, int> run)
    {
        var server = new Option<string>("--server", "-s") { Description = "Use the specified remote server address", Required = true };
        var port = new Option<int?>("--port", "-p") { Description = "Use the specified remote server port" };
        var url = new Option<string>("--url", "-u") { Description = "Use the specified remote server url", Required = true };
        var ssl = new Option<bool>("--use-ssl", "-S") { Description = "Use SSL connection to remote server" };
        var sni = new Option<bool>("--use-sni", "-I") { Description = "Use SNI during SSL handshake (uses virtualhost setting)" };
        var vhost = new Option<string?>("--use-virtualhost", "-V") { Description = "Use the specified virtualhost in GET query" };
        var protocol = new Option<string>("--protocol", "-P")
        {
            Description = "Use the specified HTTP protocol - '1.0', '1.0c', '1.1'",
            DefaultValueFactory = _ => "1.0",
        };
        protocol.AcceptOnlyFromAmong("1.0", "1.0c", "1.0C", "1.1");
        var timeout = new Option<double>("--timeout", "-t") { Description = "Timeout in seconds", DefaultValueFactory = _ => 5 };
        var fwmark = new Option<int?>("--fwmark", "-m") { Description = "Use the specified FW mark" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Verbose mode, print more info" };
        var command = new Command("genhash", "Fetch a URL and print the MD5 digest of its body, for 'digest' lines")
        {
            server, port, url, ssl, sni, vhost, protocol, timeout, fwmark, verbose,
        };
        command.SetAction(parse =>
        {
            var useSsl = parse.GetValue(ssl);
            return run(new GenhashRequest(
                parse.GetValue(server)!,
                parse.GetValue(port) ?? (useSsl ? 443 : 80),
                parse.GetValue(url)!,
                useSsl,
                parse.GetValue(sni),
                parse.GetValue(vhost),
                parse.GetValue(protocol)!,
                TimeSpan.FromSeconds(parse.GetValue(timeout)),
                parse.GetValue(fwmark),
                parse.GetValue(verbose)));
        });
        return command;
    }
}

using Vigil.Linux.Namespaces;

namespace Vigil.Linux.Sysctl;

/// <summary>
/// Reads and writes /proc/sys entries, inside a network namespace when given (net.* entries belong to
/// the namespace of the thread that opens them). Keys are slash paths ("net/ipv4/conf/vrrp.51/arp_ignore")
/// because interface names may contain dots, which the dotted form cannot tell from separators.
/// </summary>
public static class KernelSettings
{
    private const string Root = "/proc/sys/";

    public static string Read(string key, NetworkNamespace? ns = null)
    {
        var path = PathOf(key);
        return NetworkNamespace.Within(ns, () => File.ReadAllText(path)).TrimEnd('\n');
    }

    public static void Write(string key, string value, NetworkNamespace? ns = null)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = PathOf(key);
        NetworkNamespace.Within(ns, () =>
        {
            File.WriteAllText(path, value);
            return true;
        });
    }

    private static string PathOf(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw new ArgumentException($"'{key}' is not a relative /proc/sys path.", nameof(key));
        }
        return Root + key;
    }
}

namespace Vigil.Config;

/// <summary>
/// The file system as the config front end sees it: paths are absolute and use '/'. Tests use
/// <see cref="InMemoryFileSystem"/>; the daemon uses <see cref="DiskFileSystem"/>.
/// </summary>
public interface IConfigFileSystem
{
    bool FileExists(string path);

    bool DirectoryExists(string path);

    /// <summary>The size in bytes, or null when the file does not exist or cannot be read.</summary>
    long? FileLength(string path);

    /// <summary>The file's text (UTF-8). Throws IOException / UnauthorizedAccessException on failure.</summary>
    string ReadAllText(string path);

    /// <summary>Names (not paths) of the entries of a directory; empty when it does not exist.</summary>
    IEnumerable<string> EnumerateEntries(string directory);
}

/// <summary>The real disk.</summary>
public sealed class DiskFileSystem : IConfigFileSystem
{
    public static DiskFileSystem Instance { get; } = new();

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public long? FileLength(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public string ReadAllText(string path) => File.ReadAllText(path);

    public IEnumerable<string> EnumerateEntries(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).OfType<string>().ToList();
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}

/// <summary>Files in memory, for tests and for checking generated configs.</summary>
public sealed class InMemoryFileSystem : IConfigFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public InMemoryFileSystem Add(string path, string text)
    {
        _files[Normalize(path)] = text;
        return this;
    }

    public bool FileExists(string path) => _files.ContainsKey(Normalize(path));

    public bool DirectoryExists(string path)
    {
        var prefix = Normalize(path).TrimEnd('/') + "/";
        return prefix == "/" || _files.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal));
    }

    public long? FileLength(string path) =>
        _files.TryGetValue(Normalize(path), out var text) ? System.Text.Encoding.UTF8.GetByteCount(text) : null;

    public string ReadAllText(string path) =>
        _files.TryGetValue(Normalize(path), out var text) ? text : throw new FileNotFoundException("no such file", path);

    public IEnumerable<string> EnumerateEntries(string directory)
    {
        var prefix = Normalize(directory).TrimEnd('/') + "/";
        return _files.Keys
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static string Normalize(string path) => ConfigPath.Normalize(path);
}

/// <summary>Path arithmetic with '/' only, independent of the host OS.</summary>
internal static class ConfigPath
{
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    public static string Combine(string directory, string path) =>
        path.StartsWith('/') ? Normalize(path) : Normalize(directory.TrimEnd('/') + "/" + path);

    public static string DirectoryOf(string path)
    {
        var normalized = Normalize(path);
        var slash = normalized.LastIndexOf('/');
        return slash <= 0 ? "/" : normalized[..slash];
    }
}

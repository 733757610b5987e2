using System.Collections.Concurrent;
using System.Text;
using Vigil.Linux.Scripts;

namespace Vigil.Tests.Alerts;

/// <summary>A script runner that records what it was asked to run and runs nothing.</summary>
internal sealed class RecordingScriptRunner : IScriptRunner
{
    private readonly ConcurrentQueue<IReadOnlyList<string>> _runs = new();

    public IReadOnlyList<IReadOnlyList<string>> Runs => [.. _runs];

    public Task<ScriptOutcome> RunAsync(ScriptInvocation invocation, CancellationToken cancellationToken = default)
    {
        _runs.Enqueue(invocation.Command.Arguments);
        return Task.FromResult(new ScriptOutcome(0, false, null));
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> runs were recorded.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<string>>> WaitForRunsAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (_runs.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.True(_runs.Count >= count, $"expected {count} script runs, got {_runs.Count}");
        return Runs;
    }
}

/// <summary>A private directory with an executable script and FIFOs, removed on dispose.</summary>
internal sealed class NotifyScratch : IDisposable
{
    public NotifyScratch()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("vigil-notify-").FullName;
        Script = Path.Combine(Directory, "record.sh");
        File.WriteAllText(Script, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(Script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public string Directory { get; }

    /// <summary>An executable that exists (the runner is a recorder, so its content does not matter).</summary>
    public string Script { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>Reads lines from a FIFO the notifier holds open (open for reading does not wait: a writer exists).</summary>
internal sealed class FifoReader(string path) : IDisposable
{
    private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
    private readonly StringBuilder _text = new();
    private readonly byte[] _buffer = new byte[4096];
    private Task<int>? _pending;

    /// <summary>Reads until <paramref name="count"/> complete lines arrived (bounded), returns all read so far.</summary>
    public async Task<string[]> ReadLinesAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Lines().Length < count && DateTime.UtcNow < deadline)
        {
            _pending ??= _stream.ReadAsync(_buffer, 0, _buffer.Length);
            if (await Task.WhenAny(_pending, Task.Delay(100)) != _pending)
            {
                continue;
            }
            var read = await _pending;
            _pending = null;
            _text.Append(Encoding.UTF8.GetString(_buffer, 0, read));
        }
        var lines = Lines();
        Assert.True(lines.Length >= count, $"expected {count} FIFO lines, got [{string.Join(" | ", lines)}]");
        return lines;
    }

    private string[] Lines()
    {
        var text = _text.ToString();
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n');
    }

    public void Dispose() => _stream.Dispose();
}

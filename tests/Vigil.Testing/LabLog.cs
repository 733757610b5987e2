using System.Diagnostics;

namespace Vigil.Testing;

/// <summary>
/// Where the harness writes what it does: the test output (if given) and a lab.log file in the lab
/// directory. Every command the harness runs passes through here, timestamped from lab creation.
/// </summary>
public sealed class LabLog : IDisposable
{
    private readonly Action<string>? _sink;
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private StreamWriter? _file;

    public LabLog(Action<string>? sink) => _sink = sink;

    internal void AttachFile(string path)
    {
        lock (_lock)
        {
            _file = new StreamWriter(path, append: true) { AutoFlush = true };
        }
    }

    public void Dispose() => DetachFile();

    internal void DetachFile()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    public void Write(string message)
    {
        var line = $"[lab {_clock.Elapsed.TotalSeconds,8:F3}] {message}";
        lock (_lock)
        {
            try
            {
                _file?.WriteLine(line);
            }
            catch (IOException)
            {
                // The log file is a convenience; the test output still gets the line.
            }
            try
            {
                _sink?.Invoke(line);
            }
            catch (InvalidOperationException)
            {
                // xunit's output helper refuses writes once its test has ended (e.g. from an exit hook).
            }
        }
    }
}

using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Linux.Scripts;

/// <summary>
/// A notify_fifo writer: creates the FIFO when absent (mode 0600, as keepalived does), opens it read-write so
/// the open never waits for a reader and writes never fail when the reader goes away, and writes one line per
/// event.
/// </summary>
public sealed class NotifyFifo : IDisposable
{
    private readonly FileStream _stream;

    private NotifyFifo(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    /// <summary>Creates (if needed) and opens the FIFO; throws IOException with the reason when it cannot.</summary>
    public static NotifyFifo Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && Interop.Libc.MkFifo(path, 0x180) != 0)
        {
            throw new IOException($"cannot create FIFO {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite, BufferSize = 0 });
        return new NotifyFifo(path, stream);
    }

    /// <summary>Writes <paramref name="line"/> and a newline in one write (atomic for lines under PIPE_BUF).</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
    }

    public void Dispose() => _stream.Dispose();
}

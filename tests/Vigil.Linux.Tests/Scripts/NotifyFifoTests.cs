using Vigil.Linux.Scripts;

namespace Vigil.Linux.Tests.Scripts;

public class NotifyFifoTests
{
    [Fact]
    public async Task Open_Absent_CreatesFifoAndLinesReachAReader()
    {
        var path = Path.Combine(Path.GetTempPath(), $"vigil-fifo-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using var fifo = NotifyFifo.Open(path);
            Assert.True((File.GetAttributes(path) & FileAttributes.Directory) == 0);
            await using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(reader);
            fifo.WriteLine("INSTANCE \"VI_1\" MASTER 100");
            fifo.WriteLine("GROUP \"G\" BACKUP 0");
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cts.CancelAfter(TimeSpan.FromSeconds(10));
            Assert.Equal("INSTANCE \"VI_1\" MASTER 100", await text.ReadLineAsync(cts.Token));
            Assert.Equal("GROUP \"G\" BACKUP 0", await text.ReadLineAsync(cts.Token));
        }
        finally
        {
            File.Delete(path);
        }
    }
}

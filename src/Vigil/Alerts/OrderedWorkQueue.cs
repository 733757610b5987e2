using System.Threading.Channels;

namespace Vigil.Alerts;

/// <summary>
/// One ordered work queue with one consumer task: notifications posted from a loop run one after another,
/// off that loop. Unbounded unless a capacity is given; a full bounded queue refuses the post.
/// </summary>
internal sealed class OrderedWorkQueue
{
    private readonly Channel<Func<Task>> _channel;

    public OrderedWorkQueue(int? capacity = null)
    {
        _channel = capacity is { } n
            ? Channel.CreateBounded<Func<Task>>(new BoundedChannelOptions(n) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
        Completion = Task.Run(RunAsync);
    }

    public Task Completion { get; }

    /// <summary>Queues <paramref name="work"/>; false when the queue is full or completed.</summary>
    public bool Post(Func<Task> work) => _channel.Writer.TryWrite(work);

    public void Complete() => _channel.Writer.TryComplete();

    private async Task RunAsync()
    {
        await foreach (var work in _channel.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException or OperationCanceledException)
            {
                // A failed notification must not stop the ones after it.
            }
        }
    }
}

/// <summary>FIFO lines (VRRP and LVS notifications) written in order on their own queue, never on the caller's thread.</summary>
internal static class NotifyFifoLines
{
    /// <summary>Queues <paramref name="line"/> for every FIFO; a FIFO that fails is reported and the others still get it.</summary>
    public static void PostLine(this OrderedWorkQueue queue, IReadOnlyList<Linux.Scripts.NotifyFifo> fifos, string line, Action<Linux.Scripts.NotifyFifo, IOException> failed)
    {
        if (fifos.Count == 0)
        {
            return;
        }
        queue.Post(() =>
        {
            foreach (var fifo in fifos)
            {
                try
                {
                    fifo.WriteLine(line);
                }
                catch (IOException e)
                {
                    failed(fifo, e);
                }
            }
            return Task.CompletedTask;
        });
    }
}

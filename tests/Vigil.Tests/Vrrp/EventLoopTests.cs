using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Vrrp;

namespace Vigil.Tests.Vrrp;

public sealed class EventLoopTests
{
    private sealed class Alarm(TimeSpan at, Action<TimeSpan>? onFire = null) : ITimed
    {
        public TimeSpan NextDeadline { get; set; } = at;
        public List<TimeSpan> Fired { get; } = [];

        public void OnTimer(TimeSpan now)
        {
            Fired.Add(now);
            NextDeadline = TimeSpan.MaxValue;
            onFire?.Invoke(now);
        }
    }

    [Fact]
    public async Task Post_RunsWorkOnTheLoopThread_InOrder()
    {
        using var loop = new EventLoop(TimeProvider.System, NullLogger.Instance);
        loop.Start();
        var seen = new List<int>();
        int? thread = null;
        for (var i = 0; i < 100; i++)
        {
            var n = i;
            loop.Post(_ => { seen.Add(n); thread ??= Environment.CurrentManagedThreadId; });
        }
        await loop.InvokeAsync(_ => { });
        Assert.Equal(Enumerable.Range(0, 100), seen);
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread);
    }

    [Fact]
    public async Task Timer_FiresAtItsDeadline_NotBefore()
    {
        using var loop = new EventLoop(TimeProvider.System, NullLogger.Instance);
        loop.Start();
        var fired = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        Alarm? alarm = null;
        await loop.InvokeAsync(now =>
        {
            alarm = new Alarm(now + TimeSpan.FromMilliseconds(50), t => fired.SetResult(t));
            loop.Add(alarm);
        });
        var at = await fired.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(at >= alarm!.Fired[0] - TimeSpan.FromMilliseconds(1));
        Assert.Single(alarm.Fired);
        Assert.True(at >= TimeSpan.FromMilliseconds(50), $"fired at {at}");
    }

    [Fact]
    public async Task ThrowingWork_IsCountedAndTheLoopGoesOn()
    {
        using var loop = new EventLoop(TimeProvider.System, NullLogger.Instance);
        loop.Start();
        loop.Post(_ => throw new InvalidOperationException("boom"));
        var after = false;
        await loop.InvokeAsync(_ => after = true);
        Assert.True(after);
        Assert.Equal(1, loop.Faults);
    }

    [Fact]
    public async Task InvokeAsync_PropagatesTheExceptionToTheCaller()
    {
        using var loop = new EventLoop(TimeProvider.System, NullLogger.Instance);
        loop.Start();
        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.InvokeAsync(_ => throw new InvalidOperationException("x")));
    }

    [Fact]
    public async Task Timer_ThatRearms_KeepsFiring_AndPostedWorkInterleaves()
    {
        using var loop = new EventLoop(TimeProvider.System, NullLogger.Instance);
        loop.Start();
        var ticks = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Alarm? alarm = null;
        alarm = new Alarm(TimeSpan.Zero, now =>
        {
            if (++ticks < 5)
            {
                alarm!.NextDeadline = now + TimeSpan.FromMilliseconds(5);
            }
            else
            {
                done.SetResult();
            }
        });
        loop.Post(_ => loop.Add(alarm));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(5, alarm.Fired.Count);
        Assert.True(alarm.Fired.Zip(alarm.Fired.Skip(1)).All(p => p.Second - p.First >= TimeSpan.FromMilliseconds(4.9)));
    }
}

using System.Net;
using Microsoft.Extensions.Time.Testing;
using Vigil.Vrrp.Fsm;
using Vigil.Vrrp.Tests.Fakes;

namespace Vigil.Vrrp.Tests.Fsm;

public class VrrpEventLoopTests
{
    private static (VrrpEventLoop Loop, VrrpRouter Router, RecordingEffects Effects, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider();
        var effects = new RecordingEffects();
        var router = new VrrpRouter(new VrrpInstanceOptions { Name = "VI_1", VirtualRouterId = 1, PrimaryAddress = IPAddress.Parse("10.77.0.1"), VirtualAddresses = [IPAddress.Parse("10.77.0.100")] }, effects);
        var dispatcher = new VrrpDispatcher();
        dispatcher.Add(router);
        return (new VrrpEventLoop(dispatcher, time), router, effects, time);
    }

    [Fact]
    public void Timer_FakeTimeAdvancedPastMasterDown_RouterBecomesMasterOnTheLoop()
    {
        var (loop, router, _, time) = Create();
        using (loop)
        {
            loop.Post(now => router.Start(now));
            loop.RunPending();

            time.Advance(TimeSpan.FromSeconds(3.6));
            loop.RunPending();
            Assert.Equal(VrrpState.Backup, router.State);

            time.Advance(TimeSpan.FromMilliseconds(10));
            Assert.Equal(1, loop.RunPending()); // the timer's tick
            Assert.Equal(VrrpState.Master, router.State);
        }
    }

    [Fact]
    public void Timer_MasterForTenSeconds_OneAdvertPerInterval()
    {
        var (loop, router, effects, time) = Create();
        using (loop)
        {
            loop.Post(now => router.Start(now));
            loop.RunPending();
            time.Advance(TimeSpan.FromSeconds(3.61));
            loop.RunPending();
            effects.Clear();

            for (int i = 0; i < 1000; i++)
            {
                time.Advance(TimeSpan.FromMilliseconds(10));
                loop.RunPending();
            }

            Assert.Equal(10, effects.Adverts.Count());
        }
    }

    [Fact]
    public async Task RunAsync_PostFromAnotherThread_RunsOnTheLoopAndStopsOnCancel()
    {
        var (loop, router, _, _) = Create();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var started = new TaskCompletionSource<VrrpState>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task run = loop.RunAsync(cts.Token);

        await Task.Run(
            () => loop.Post(now =>
            {
                router.Start(now);
                started.SetResult(router.State);
            }),
            TestContext.Current.CancellationToken);

        Assert.Equal(VrrpState.Backup, await started.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        loop.Dispose();
        Assert.False(loop.Post(_ => { }));
    }
}

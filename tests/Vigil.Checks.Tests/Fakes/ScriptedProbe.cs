using System.Collections.Concurrent;

namespace Vigil.Checks.Tests.Fakes;

/// <summary>A probe whose results the test sets; records when it ran.</summary>
internal sealed class ScriptedProbe(TimeProvider time) : ICheckProbe
{
    private readonly ConcurrentQueue<CheckResult> _queue = new();

    public CheckResult Default { get; set; } = CheckResult.Ok;

    public ConcurrentQueue<DateTimeOffset> Runs { get; } = new();

    public void Enqueue(params CheckResult[] results)
    {
        foreach (var r in results) _queue.Enqueue(r);
    }

    public Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        Runs.Enqueue(time.GetUtcNow());
        return Task.FromResult(_queue.TryDequeue(out var r) ? r : Default);
    }
}

/// <summary>A probe that never answers (ignores cancellation), or throws.</summary>
internal sealed class BadProbe(bool throws) : ICheckProbe
{
    public int Calls;

    public Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (throws) throw new InvalidOperationException("boom");
        return new TaskCompletionSource<CheckResult>().Task;
    }
}

namespace Vigil.Vrrp;

/// <summary>
/// Keeps the most recent samples of a latency (a ring of fixed size) and answers quantiles over them.
/// Written on the VRRP loop, read from anywhere: a torn read costs at most one sample's accuracy.
/// </summary>
internal sealed class LatencyRecorder(int capacity = 4096)
{
    private readonly double[] _seconds = new double[capacity];
    private long _count;
    private readonly Lock _gate = new();

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        lock (_gate)
        {
            _seconds[_count % _seconds.Length] = Math.Max(0, latency.TotalSeconds);
            _count++;
        }
    }

    /// <summary>The q-quantile (0..1) of the kept samples, nearest-rank; null when there are none.</summary>
    public double? Quantile(double q)
    {
        double[] samples;
        lock (_gate)
        {
            var n = (int)Math.Min(_count, _seconds.Length);
            if (n == 0)
            {
                return null;
            }
            samples = _seconds[..n];
        }
        Array.Sort(samples);
        var rank = (int)Math.Ceiling(q * samples.Length) - 1;
        return samples[Math.Clamp(rank, 0, samples.Length - 1)];
    }
}

using System.Globalization;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>
/// FILE_CHECK: reads the integer in a track file. With weight 0 a non-zero value fails; otherwise the
/// value times the weight (negated with reverse) adjusts the real server weight when dynamic
/// (keepalived.conf(5), track_file). A missing or unreadable file reads as 0.
/// </summary>
public sealed class FileProbe(FileCheckOptions options) : ICheckProbe
{
    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = await ReadValueAsync(options.Path, cancellationToken).ConfigureAwait(false);
        return Evaluate(options, value);
    }

    internal static CheckResult Evaluate(FileCheckOptions options, long value)
    {
        if (options.Weight == 0)
        {
            return value == 0 ? CheckResult.Ok : CheckResult.Fail($"track file {options.Path} holds {value.ToString(CultureInfo.InvariantCulture)}");
        }
        var product = Math.Clamp(value * options.Weight * (options.Reverse ? -1 : 1), int.MinValue, int.MaxValue);
        return options.Dynamic ? new CheckResult(true, WeightAdjustment: product) : CheckResult.Ok;
    }

    /// <summary>The first integer in the file's text; 0 if there is none or the file cannot be read.</summary>
    internal static long Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan().Trim();
        var end = 0;
        if (end < span.Length && span[end] is '-' or '+') end++;
        while (end < span.Length && char.IsAsciiDigit(span[end])) end++;
        return long.TryParse(span[..end], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    private static async Task<long> ReadValueAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

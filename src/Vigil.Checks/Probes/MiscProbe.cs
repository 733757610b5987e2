using System.Globalization;
using Vigil.Checks.Options;

namespace Vigil.Checks.Probes;

/// <summary>
/// MISC_CHECK: runs misc_path. Exit 0 passes, 1 fails; with misc_dynamic 2..255 pass and set the weight
/// to code - 2; a timeout (TERM then KILL) fails (keepalived.md §4).
/// </summary>
public sealed class MiscProbe : ICheckProbe
{
    private readonly MiscCheckOptions _options;
    private readonly IScriptRunner _runner;
    private readonly ScriptRequest _request;

    /// <param name="options">The MISC_CHECK block.</param>
    /// <param name="delayLoop">Used as misc_timeout when that is not set.</param>
    /// <param name="runner">Shared runner (its concurrency limit covers all scripts).</param>
    public MiscProbe(MiscCheckOptions options, TimeSpan delayLoop, IScriptRunner runner)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _request = new ScriptRequest(CommandLine.Split(options.Path), options.Timeout ?? delayLoop, options.User, options.Group);
    }

    /// <summary>The argv this probe runs.</summary>
    public IReadOnlyList<string> Argv => _request.Argv;

    public async Task<CheckResult> RunAsync(CancellationToken cancellationToken)
    {
        ScriptResult result;
        try
        {
            result = await _runner.RunAsync(_request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return CheckResult.Fail($"MISC {_options.Path}: cancelled");
        }
        return Interpret(_options, result);
    }

    internal static CheckResult Interpret(MiscCheckOptions options, ScriptResult result)
    {
        if (result.TimedOut) return CheckResult.Fail($"MISC {options.Path}: {result.Error ?? "timeout"}");
        if (result.ExitCode is not { } code) return CheckResult.Fail($"MISC {options.Path}: {result.Error ?? "did not run"}");
        if (code == 0) return CheckResult.Ok;
        if (options.Dynamic && code is >= 2 and <= 255) return new CheckResult(true, DynamicWeight: code - 2);
        return CheckResult.Fail($"MISC {options.Path}: exit status {code.ToString(CultureInfo.InvariantCulture)}");
    }
}

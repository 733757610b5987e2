namespace Vigil.Cli;

/// <summary>keepalived's exit codes, so wrappers and unit files that test them keep working.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    // keepalived compat: 1 is "out of memory" there; vigil uses it for a failed command of its own.
    public const int Failure = 1;
    /// <summary>Bad command line or initialisation failure.</summary>
    public const int InitFailure = 2;
    /// <summary>The configuration cannot run.</summary>
    public const int ConfigCannotRun = 3;
    /// <summary>The configuration has errors but would run.</summary>
    public const int ConfigErrorsButRuns = 4;
}

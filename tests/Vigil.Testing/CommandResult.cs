namespace Vigil.Testing;

/// <summary>The outcome of one command the harness ran to completion.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws <see cref="LabCommandException"/> unless the exit code is 0.</summary>
    public CommandResult EnsureSuccess() => Succeeded ? this : throw new LabCommandException(this);

    public override string ToString() =>
        $"$ {CommandLine}\n(exit {ExitCode}, {Elapsed.TotalMilliseconds:F0} ms)\n{Stdout}{(Stderr.Length > 0 ? "\nstderr: " + Stderr : "")}";
}

public sealed class LabCommandException : Exception
{
    public LabCommandException(CommandResult result)
        : base($"command failed (exit {result.ExitCode}): {result.CommandLine}\n{result.Stderr}{result.Stdout}") => Result = result;

    public LabCommandException() : base("command failed") => Result = new CommandResult("", -1, "", "", TimeSpan.Zero);

    public LabCommandException(string message) : base(message) => Result = new CommandResult("", -1, "", message, TimeSpan.Zero);

    public LabCommandException(string message, Exception inner) : base(message, inner) =>
        Result = new CommandResult("", -1, "", message, TimeSpan.Zero);

    public CommandResult Result { get; }
}

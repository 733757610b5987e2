using Vigil.Testing;

namespace Vigil.Lab.Tests;

// Inside Vigil.Lab.*, the name Lab would mean the namespace: alias the harness class.
using Lab = Vigil.Testing.Lab;

/// <summary>Creates labs that log to the current test's output.</summary>
internal static class LabFactory
{
    public static Task<Lab> CreateAsync()
    {
        var output = TestContext.Current.TestOutputHelper;
        return Lab.CreateAsync(output is null ? null : output.WriteLine, TestContext.Current.CancellationToken);
    }
}

using Vigil.Testing;

namespace Vigil.Lab.Tests;

/// <summary>Creates labs that log to the current test's output.</summary>
internal static class LabFactory
{
    public static Task<Testing.Lab> CreateAsync()
    {
        var output = TestContext.Current.TestOutputHelper;
        return Testing.Lab.CreateAsync(output is null ? null : output.WriteLine, TestContext.Current.CancellationToken);
    }
}

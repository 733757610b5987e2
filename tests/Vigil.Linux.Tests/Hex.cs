namespace Vigil.Linux.Tests;

internal static class Hex
{
    /// <summary>Parses hex with any whitespace, as copied from a capture.</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}

using Vigil.Checks.Options;

namespace Vigil.Checks.Tests.Options;

public class HexPatternTests
{
    [Fact]
    public void Parse_FreeFormat_ReadsPairsAndOddDigitsAsKeepalivedDocuments()
    {
        var p = HexPattern.Parse("Ab12f 3 456 546443123");
        Assert.Equal(Convert.FromHexString("AB120F0345065464431203"), p.Bytes.ToArray());
    }

    [Fact]
    public void Matches_WildcardNibbles_IgnoreThoseBits()
    {
        var p = HexPattern.Parse("12X4 XX");
        Assert.True(p.Matches([0x12, 0x94, 0xFF]));
        Assert.True(p.Matches([0x12, 0x04]));
        Assert.False(p.Matches([0x12, 0x95, 0x00]));
        Assert.False(p.Matches([0x13]));
    }

    [Fact]
    public void Matches_ShorterReply_ComparesOnlyTheOverlap()
    {
        Assert.True(HexPattern.Parse("010203").Matches([0x01]));
    }

    [Theory]
    [InlineData("12G4")]
    [InlineData("zz")]
    public void TryParse_BadDigit_Fails(string text) => Assert.False(HexPattern.TryParse(text, true, out _));

    [Fact]
    public void TryParse_WildcardInPayload_Fails() => Assert.False(HexPattern.TryParse("1X", false, out _));

    [Theory]
    [InlineData("200", 200, 200)]
    [InlineData("300-399", 300, 399)]
    public void StatusCodeRange_TryParse_ReadsCodesAndRanges(string text, int from, int to)
    {
        Assert.True(StatusCodeRange.TryParse(text, out var r));
        Assert.Equal(new StatusCodeRange(from, to), r);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("399-300")]
    public void StatusCodeRange_TryParse_Garbage_Fails(string text) => Assert.False(StatusCodeRange.TryParse(text, out _));
}

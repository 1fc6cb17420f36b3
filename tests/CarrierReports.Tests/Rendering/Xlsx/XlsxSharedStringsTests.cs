using CarrierReports.Rendering.Xlsx;

namespace CarrierReports.Tests.Rendering.Xlsx;

public sealed class XlsxSharedStringsTests
{
    [Theory]
    [InlineData("Route A", "Route A")]
    [InlineData("Łódź 🚀", "Łódź 🚀")]
    [InlineData("a\u0001b", "a_x0001_b")]
    [InlineData("tab\tok", "tab\tok")]
    [InlineData("_x0041_", "_x005F_x0041_")]
    [InlineData("snake_case_x", "snake_case_x")]
    public void Escape_KeepsTextExactForExcel(string text, string expected) =>
        Assert.Equal(expected, XlsxSharedStrings.Escape(text));

    [Fact]
    public void Escape_LoneSurrogate_IsEscaped()
    {
        // Built at run time: test-case attributes cannot carry a lone surrogate intact.
        var text = "lone " + (char)0xD800 + " surrogate";

        Assert.Equal("lone _xD800_ surrogate", XlsxSharedStrings.Escape(text));
    }

    [Fact]
    public void IndexOf_StoresEachTextOnce_AndCountsEveryUse()
    {
        var strings = new XlsxSharedStrings();

        Assert.Equal(0, strings.IndexOf("a"));
        Assert.Equal(1, strings.IndexOf("b"));
        Assert.Equal(0, strings.IndexOf("a"));
        Assert.Equal(3, strings.References);
    }
}

using System.Text;
using Parley.Server.Media;

namespace Parley.Server.Tests.Media;

/// <summary>The check that leading bytes declared text/plain read as text.</summary>
public sealed class PlainTextTests
{
    [Fact]
    public void A_character_cut_at_the_end_of_the_sniffed_bytes_is_text_but_not_at_the_end_of_the_file()
    {
        var euro = Encoding.UTF8.GetBytes("price: 5€");
        var cut = euro[..^1];
        Assert.True(PlainText.Looks(euro, whole: true));
        Assert.True(PlainText.Looks(cut, whole: false));
        Assert.False(PlainText.Looks(cut, whole: true));
    }

    [Theory]
    [InlineData("tabs\tand\r\nnew lines\fand a page break")]
    [InlineData("\u001b[32mgreen log line\u001b[0m")]
    [InlineData("\ufeffa byte-order mark first")]
    [InlineData("")]
    public void Whitespace_escapes_and_a_bom_are_text(string text) => Assert.True(PlainText.Looks(Encoding.UTF8.GetBytes(text), whole: true));

    [Theory]
    [InlineData("nul\0byte")]
    [InlineData("bell\a")]
    [InlineData("delete\u007f")]
    public void Control_bytes_are_not_text(string text) => Assert.False(PlainText.Looks(Encoding.UTF8.GetBytes(text), whole: true));
}

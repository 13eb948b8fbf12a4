using Parley.Protocol.Client;

namespace Parley.Client.Tests.Protocol;

public class BodyJsonTests
{
    [Theory]
    [InlineData("hello", "\"hello\"")]
    [InlineData("héllo 😀", "\"héllo 😀\"")]
    [InlineData("quote \" and \\ and\nnewline", "\"quote \\\" and \\\\ and\\nnewline\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    public void Plain_text_becomes_a_json_string_body(string text, string expected)
    {
        var body = BodyJson.FromText(text);

        Assert.Equal(expected, body);
        Assert.True(BodyJson.TryGetText(body, out var back));
        Assert.Equal(text, back);
    }

    [Theory]
    [InlineData("\"s\"", true)]
    [InlineData(" {\"a\":1} ", true)]
    [InlineData("1", false)]
    [InlineData("null", false)]
    [InlineData("[]", false)]
    [InlineData("{} {}", false)]
    [InlineData("{", false)]
    [InlineData("", false)]
    public void Only_one_string_or_object_is_a_valid_body(string body, bool valid) =>
        Assert.Equal(valid, BodyJson.IsValid(body));

    [Fact]
    public void A_lone_surrogate_is_escaped_so_that_the_body_is_valid_utf8_json()
    {
        var body = BodyJson.FromText("lone" + '\ud800');

        Assert.Equal("\"lone\\ud800\"", body);
        Assert.True(BodyJson.IsValid(body));
    }

    [Fact]
    public void An_object_body_has_no_text()
    {
        Assert.False(BodyJson.TryGetText("{\"t\":\"x\"}", out _));
        Assert.Equal(5, BodyJson.Utf8Length("\"é\"") + 1);
    }
}

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

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("{\"text\":\"a caption\",\"x\":[1,{\"text\":\"nested\"}]}", "a caption")]
    [InlineData("{\"x\":{\"text\":\"nested\"},\"text\":\"outer\"}", "outer")]
    [InlineData("{\"text\":5}", null)]
    [InlineData("{\"t\":\"x\"}", null)]
    [InlineData("null", null)]
    public void TextOf_reads_a_string_body_or_the_text_field_of_an_object(string body, string? expected) =>
        Assert.Equal(expected, BodyJson.TextOf(body));

    [Fact]
    public void Message_events_and_history_entries_carry_their_text()
    {
        var frame = ServerFrameReader.Read("""{"type":"message","seq":1,"id":"m1","n":1,"conv":"d:a:b","from":"a","cid":"c","kind":"text","body":"hi \u00e9","ts":1}"""u8.ToArray());
        var history = new HistoryMessage("m1", 1, "d:a:b", "a", "c", "image", """{"text":"look"}""", null, 1, null);

        Assert.Equal("hi é", ((MessageEvent)frame).Text);
        Assert.Equal("look", history.Text);
    }
}

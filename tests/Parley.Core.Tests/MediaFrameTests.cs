using System.Text;
using Parley.Core.Media;
using Parley.Protocol.Frames;

namespace Parley.Core.Tests;

/// <summary>How media appears on the wire, and what a media id is.</summary>
public class MediaFrameTests
{
    private static readonly string Id = new('a', 64);

    private static MessageView Message(MediaView? media) =>
        new("m1", 3, "d:alice:bob", "alice", "c1", "image", Encoding.UTF8.GetBytes("\"hi\""), 1000, null, media);

    [Fact]
    public void A_message_event_carries_media_after_the_body_with_only_the_fields_known()
    {
        var video = Encoding.UTF8.GetString(ServerFrameWriter.MessageEvent(7, Message(new MediaView(Id, "video/webm", 42, null, null, null, false))));
        Assert.Equal(
            $$"""{"type":"message","seq":7,"id":"m1","n":3,"conv":"d:alice:bob","from":"alice","cid":"c1","kind":"image","body":"hi","media":{"id":"{{Id}}","mime":"video/webm","size":42,"thumbnail":false},"ts":1000}""",
            video);
        var image = Encoding.UTF8.GetString(ServerFrameWriter.MessageEvent(7, Message(new MediaView(Id, "video/mp4", 42, 640, 480, 1500, true))));
        Assert.Contains("\"media\":{\"id\":\"" + Id + "\",\"mime\":\"video/mp4\",\"size\":42,\"width\":640,\"height\":480,\"durationMs\":1500,\"thumbnail\":true}", image, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_without_media_has_no_media_field()
    {
        var text = Encoding.UTF8.GetString(ServerFrameWriter.History("r1", [Message(null)]));
        Assert.DoesNotContain("media", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    [InlineData("0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef", false)]
    [InlineData("../../../../etc/passwd/0123456789abcdef0123456789abcdef0123456789", false)]
    [InlineData(null, false)]
    public void A_media_id_is_64_lowercase_hex_digits(string? id, bool valid) => Assert.Equal(valid, MediaIds.IsValid(id));
}

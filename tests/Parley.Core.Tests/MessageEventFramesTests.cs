using System.Text;
using Parley.Protocol.Frames;

namespace Parley.Core.Tests;

/// <summary>A group's fan-out writes a message's frame once and puts each member's seq in: the bytes must not change.</summary>
public class MessageEventFramesTests
{
    [Theory]
    [InlineData(1L)]
    [InlineData(9L)]
    [InlineData(10L)]
    [InlineData(123_456L)]
    [InlineData(long.MaxValue)]
    public void Each_copy_is_byte_for_byte_the_message_event_with_that_seq(long seq)
    {
        var media = new MediaView(new string('a', 64), "image/png", 42, 640, 480, null, true);
        foreach (var message in new[]
        {
            new MessageView("m1", 3, "g:team", "alice", "c1", "text", Encoding.UTF8.GetBytes("""{"text":"h\u00e9 \"seq\":1","n":[1,2]}"""), 1000, null),
            new MessageView("m2", 70, "d:alice:bob", "bob", "c:2", "image", Encoding.UTF8.GetBytes("\"caption\""), 2000, 9000, media, ReplyTo: 69, EditedAt: 2500),
        })
        {
            var frames = ServerFrameWriter.MessageEvents(message);
            Assert.Equal(ServerFrameWriter.MessageEvent(seq, message), frames.For(seq));
            // The shared bytes are not changed by making a copy.
            Assert.Equal(ServerFrameWriter.MessageEvent(seq + (seq == long.MaxValue ? -1 : 1), message), frames.For(seq + (seq == long.MaxValue ? -1 : 1)));
        }
    }
}

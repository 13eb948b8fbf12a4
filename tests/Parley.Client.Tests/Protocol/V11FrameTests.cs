using System.Text;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Client.Tests.Protocol;

// v1.1 replies, reactions and edits: what the server's writer emits, the client's reader reads; what the client writes,
// the server's parser reads.
public class V11FrameTests
{
    private static ClientRequest Parse(byte[] frame)
    {
        Assert.True(ClientFrameParser.TryParse(frame, out var request, out var error), error.Message);
        return request;
    }

    [Fact]
    public void A_send_with_reply_to_is_read_back_by_the_server_parser()
    {
        var send = Assert.IsType<SendRequest>(Parse(ClientFrameWriter.Send("r", "c", "bob", null, MessageKinds.Text, "\"yes\"", replyTo: 3)));

        Assert.Equal(3, send.ReplyTo);
        Assert.Null(Assert.IsType<SendRequest>(Parse(ClientFrameWriter.Send("r", "c", "bob", null, null, "\"no\""))).ReplyTo);
    }

    [Theory]
    [InlineData("👍")]
    [InlineData(null)]
    public void A_react_is_read_back_by_the_server_parser_null_taking_the_reaction_back(string? emoji)
    {
        var react = Assert.IsType<ReactRequest>(Parse(ClientFrameWriter.React("r7", "g:x", 4, emoji)));

        Assert.Equal(("r7", "g:x", 4L, emoji), (react.Rid, react.Conv, react.N, react.Emoji));
    }

    [Fact]
    public void An_edit_carries_its_body_byte_for_byte_and_refuses_one_that_is_not_a_json_string_or_object()
    {
        const string body = "{ \"text\" : \"fixed\",\n \"n\": 1.0 }";

        var edit = Assert.IsType<EditRequest>(Parse(ClientFrameWriter.Edit("r", "d:a:b", 2, body)));

        Assert.Equal(body, Encoding.UTF8.GetString(edit.Body.Span));
        Assert.Equal(2, edit.N);
        Assert.Throws<ArgumentException>(() => ClientFrameWriter.Edit("r", "d:a:b", 2, "42"));
    }

    [Fact]
    public void The_send_reply_and_the_message_event_carry_reply_to_and_edited_at()
    {
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.SendOk("r", new SendResultView("m", 5, "d:a:b", 9, 10, null, false, 2))));
        var view = new MessageView("m", 5, "d:a:b", "a", "c", "text", Encoding.UTF8.GetBytes("\"new\""), 10, null, ReplyTo: 2, EditedAt: 11);
        var message = Assert.IsType<MessageEvent>(ServerFrameReader.Read(ServerFrameWriter.MessageEvent(9, view)));

        Assert.Equal(2, ok.ReadSendResult().ReplyTo);
        Assert.Equal((2L, 11L), (message.ReplyTo, message.EditedAt));
        Assert.Null(Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.SendOk("r", new SendResultView("m", 1, "d:a:b", 1, 1, null, false)))).ReadSendResult().ReplyTo);
    }

    [Fact]
    public void Reaction_events_are_read_with_a_null_emoji_when_taken_back()
    {
        var made = Assert.IsType<ReactionEvent>(ServerFrameReader.Read(ServerFrameWriter.ReactionEvent(3, "g:x", 7, "bob", "😂")));
        var back = Assert.IsType<ReactionEvent>(ServerFrameReader.Read(ServerFrameWriter.ReactionEvent(4, "g:x", 7, "bob", null)));

        Assert.Equal((3L, "g:x", 7L, "bob", "😂"), (made.Seq, made.Conv, made.N, made.By, made.Emoji));
        Assert.Equal(3, made.InboxSeq);
        Assert.Null(back.Emoji);
        Assert.Throws<System.Text.Json.JsonException>(() => ServerFrameReader.Read("""{"type":"reaction","seq":1,"conv":"g:x","n":1,"by":"a","emoji":5}"""u8.ToArray()));
    }

    [Fact]
    public void Edited_events_carry_the_new_body_byte_for_byte_and_its_time()
    {
        const string body = "{\"text\":\"typo fixed\",  \"x\":1.0}";

        var edited = Assert.IsType<EditedEvent>(ServerFrameReader.Read(ServerFrameWriter.EditedEvent(12, "d:a:b", 3, Encoding.UTF8.GetBytes(body), 1234)));
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.EditOk("r", 1234)));

        Assert.Equal((12L, "d:a:b", 3L, body, 1234L), (edited.Seq, edited.Conv, edited.N, edited.Body, edited.EditedAt));
        Assert.Equal("typo fixed", edited.Text);
        Assert.Equal(1234, ok.ReadEditedAt());
    }

    [Fact]
    public void History_entries_carry_reply_to_edited_at_and_reactions_in_order()
    {
        var reacted = new MessageView("m1", 1, "g:x", "a", "c1", "text", Encoding.UTF8.GetBytes("\"hi\""), 1, null,
            Reactions: [new ReactionView("bob", "😂"), new ReactionView("carol", "❤️")], EditedAt: 5);
        var reply = new MessageView("m2", 2, "g:x", "b", "c2", "text", Encoding.UTF8.GetBytes("\"yo\""), 2, null, ReplyTo: 1);
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.History("r", [reacted, reply])));

        var history = ok.ReadHistory();

        Assert.Equal([new MessageReaction("bob", "😂"), new MessageReaction("carol", "❤️")], history[0].Reactions);
        Assert.Equal(5, history[0].EditedAt);
        Assert.Null(history[0].ReplyTo);
        Assert.Equal(1, history[1].ReplyTo);
        Assert.Empty(history[1].Reactions);
        Assert.Null(history[1].EditedAt);
    }

    [Fact]
    public void Block_unblock_and_blocked_are_read_back_by_the_server_parser_and_the_blocked_reply_by_the_client()
    {
        var block = Assert.IsType<BlockRequest>(Parse(ClientFrameWriter.Block("r1", "bob")));
        var unblock = Assert.IsType<UnblockRequest>(Parse(ClientFrameWriter.Unblock("r2", "bob")));
        var blocked = Assert.IsType<BlockedRequest>(Parse(ClientFrameWriter.Blocked("r3")));
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.BlockedOk("r3", ["bob", "eve"])));

        Assert.Equal(("r1", "bob"), (block.Rid, block.User));
        Assert.Equal(("r2", "bob"), (unblock.Rid, unblock.User));
        Assert.Equal("r3", blocked.Rid);
        Assert.Equal(["bob", "eve"], ok.ReadUsers());
    }

    [Fact]
    public void A_joined_group_event_names_the_joiner()
    {
        var joined = Assert.IsType<GroupEvent>(ServerFrameReader.Read("""{"type":"group","seq":8,"conv":"g:x","event":"joined","member":"dave","by":"dave"}"""u8.ToArray()));

        Assert.Equal((GroupEventKinds.Joined, "dave", "dave"), (joined.Event, joined.Member, joined.By));
    }
}

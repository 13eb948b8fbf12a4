using System.Text;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Protocol.Requests;

namespace Parley.Client.Tests.Protocol;

// The server's own parser reads what the client writes: the two halves of the library agree on the wire.
public class ClientFrameWriterTests
{
    private static ClientRequest Parse(byte[] frame)
    {
        Assert.True(ClientFrameParser.TryParse(frame, out var request, out var error), error.Message);
        return request;
    }

    [Theory]
    [InlineData("\"plain\"")]
    [InlineData("\"esc\\u00e9\\n\\\"q\\\" é 😀\"")]
    [InlineData("{ \"b\" : 1.50e+3 ,\n\t\"a\":[true, null, {\"x\":\"\\u0041\"}] }")]
    public void A_send_carries_the_body_text_unchanged(string body)
    {
        var frame = ClientFrameWriter.Send("r1", "cid-1", "bob", null, MessageKinds.Text, body);

        var send = Assert.IsType<SendRequest>(Parse(frame));

        Assert.Equal(body, Encoding.UTF8.GetString(send.Body.Span));
        Assert.True(frame.AsSpan().IndexOf(Encoding.UTF8.GetBytes(body)) >= 0, "the frame holds the body's exact bytes");
        Assert.Equal("r1", send.Rid);
        Assert.Equal("cid-1", send.Cid);
        Assert.Equal("bob", send.To);
        Assert.Null(send.Conv);
    }

    [Fact]
    public void A_send_to_a_conversation_with_media_and_ttl_is_read_back_by_the_server_parser()
    {
        var send = Assert.IsType<SendRequest>(Parse(ClientFrameWriter.Send("r", "c", null, "g:7", MessageKinds.Image, "{}", "media-1", 30)));

        Assert.Equal("g:7", send.Conv);
        Assert.Equal(MessageKinds.Image, send.Kind);
        Assert.Equal("media-1", send.MediaId);
        Assert.Equal(30, send.Ttl);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("[1]")]
    [InlineData("{\"a\":1} {}")]
    [InlineData("")]
    [InlineData("{unquoted:1}")]
    public void A_body_that_is_not_one_string_or_object_is_refused(string body) =>
        Assert.Throws<ArgumentException>(() => ClientFrameWriter.Send("r", "c", "bob", null, null, body));

    [Fact]
    public void A_send_needs_exactly_one_of_to_and_conv()
    {
        Assert.Throws<ArgumentException>(() => ClientFrameWriter.Send("r", "c", null, null, null, "{}"));
        Assert.Throws<ArgumentException>(() => ClientFrameWriter.Send("r", "c", "bob", "d:a:bob", null, "{}"));
    }

    [Fact]
    public void Hello_carries_token_after_and_background()
    {
        var hello = Assert.IsType<HelloRequest>(Parse(ClientFrameWriter.Hello("tok", 17, background: true)));
        var fresh = Assert.IsType<HelloRequest>(Parse(ClientFrameWriter.Hello("tok", null)));

        Assert.Equal(("tok", 17L, true), (hello.Token, hello.After!.Value, hello.Background));
        Assert.Null(fresh.After);
        Assert.False(fresh.Background);
    }

    [Fact]
    public void Ack_read_history_convs_and_ping_are_read_back_by_the_server_parser()
    {
        Assert.Equal(new AckRequest(null, 99), Parse(ClientFrameWriter.Ack(99)));
        Assert.Equal(new ReadRequest("r", "d:a:b", 4), Parse(ClientFrameWriter.Read("r", "d:a:b", 4)));
        Assert.Equal(new HistoryRequest("r", "d:a:b", 10, 20), Parse(ClientFrameWriter.History("r", "d:a:b", 10, 20)));
        Assert.Equal(new HistoryRequest("r", "d:a:b", null, null), Parse(ClientFrameWriter.History("r", "d:a:b")));
        Assert.Equal(new ConvsRequest("r"), Parse(ClientFrameWriter.Convs("r")));
        Assert.Equal(new PingRequest("r"), Parse(ClientFrameWriter.Ping("r")));
    }

    [Fact]
    public void The_other_requests_have_the_protocols_field_names()
    {
        Assert.Equal("""{"type":"receipts","rid":"r","conv":"g:1","n":3}""", Text(ClientFrameWriter.Receipts("r", "g:1", 3)));
        Assert.Equal("""{"type":"delete","rid":"r","conv":"g:1","n":3}""", Text(ClientFrameWriter.Delete("r", "g:1", 3)));
        Assert.Equal("""{"type":"group.create","rid":"r","name":"Team","members":["b","c"]}""", Text(ClientFrameWriter.GroupCreate("r", "Team", ["b", "c"])));
        Assert.Equal("""{"type":"group.add","rid":"r","conv":"g:1","members":["d"]}""", Text(ClientFrameWriter.GroupAdd("r", "g:1", ["d"])));
        Assert.Equal("""{"type":"group.remove","rid":"r","conv":"g:1","member":"d"}""", Text(ClientFrameWriter.GroupRemove("r", "g:1", "d")));
        Assert.Equal("""{"type":"group.leave","rid":"r","conv":"g:1"}""", Text(ClientFrameWriter.GroupLeave("r", "g:1")));
        Assert.Equal("""{"type":"group.rename","rid":"r","conv":"g:1","name":"Été"}""", Text(ClientFrameWriter.GroupRename("r", "g:1", "Été")));
        Assert.Equal("""{"type":"group.describe","rid":"r","conv":"g:1","description":"Été\nà 8 h"}""", Text(ClientFrameWriter.GroupDescribe("r", "g:1", "Été\nà 8 h")));
        Assert.Equal("""{"type":"group.admin","rid":"r","conv":"g:1","member":"d","admin":true}""", Text(ClientFrameWriter.GroupAdmin("r", "g:1", "d", true)));
        Assert.Equal("""{"type":"group.info","rid":"r","conv":"g:1"}""", Text(ClientFrameWriter.GroupInfo("r", "g:1")));
        Assert.Equal("""{"type":"retention","rid":"r","conv":"g:1","ttl":null}""", Text(ClientFrameWriter.Retention("r", "g:1", null)));
        Assert.Equal("""{"type":"retention","rid":"r","conv":"g:1","ttl":60}""", Text(ClientFrameWriter.Retention("r", "g:1", 60)));
        Assert.Equal("""{"type":"presence.subscribe","rid":"r","users":["b"]}""", Text(ClientFrameWriter.PresenceSubscribe("r", ["b"])));
        Assert.Equal("""{"type":"presence.set","state":"away"}""", Text(ClientFrameWriter.PresenceSet(null, PresenceStates.Away)));
        Assert.Equal("""{"type":"privacy","rid":"r","lastSeen":"nobody"}""", Text(ClientFrameWriter.Privacy("r", LastSeenVisibility.Nobody)));
        Assert.Equal("""{"type":"typing","conv":"d:a:b","state":"composing"}""", Text(ClientFrameWriter.Typing(null, "d:a:b", TypingStates.Composing)));
    }

    private static string Text(byte[] frame) => Encoding.UTF8.GetString(frame);
}

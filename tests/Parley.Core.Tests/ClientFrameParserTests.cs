using System.Text;
using Parley.Protocol;
using Parley.Protocol.Requests;

namespace Parley.Core.Tests;

public class ClientFrameParserTests
{
    private static ClientRequest Parse(string json)
    {
        Assert.True(ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out var request, out var error), error.Message);
        return request;
    }

    private static FrameError Fail(string json)
    {
        Assert.False(ClientFrameParser.TryParse(Encoding.UTF8.GetBytes(json), out _, out var error));
        return error;
    }

    [Fact]
    public void Send_body_is_kept_byte_for_byte()
    {
        const string body = """{ "b":1.0e2 , "a":"\u00e9\n" ,"z":[ true,null ] }""";
        var send = Assert.IsType<SendRequest>(Parse($$"""{"body":{{body}},"type":"send","rid":"r1","cid":"c","to":"bob"}"""));
        Assert.Equal(body, Encoding.UTF8.GetString(send.Body.Span));
        Assert.Equal("text", send.Kind);
        Assert.Equal("bob", send.To);
        Assert.Null(send.Conv);
    }

    [Fact]
    public void A_string_body_keeps_its_quotes_and_escapes()
    {
        var send = Assert.IsType<SendRequest>(Parse("""{"type":"send","cid":"c","conv":"d:a_1:bob","body":"h\u00e9 \"x\""}"""));
        Assert.Equal("\"h\\u00e9 \\\"x\\\"\"", Encoding.UTF8.GetString(send.Body.Span));
    }

    [Theory]
    [InlineData("""{"type":"send","cid":"c","to":"bob","body":42}""", "field 'body' must be a JSON string or object")]
    [InlineData("""{"type":"send","cid":"c","to":"bob","body":[1]}""", "field 'body' must be a JSON string or object")]
    [InlineData("""{"type":"send","cid":5,"to":"bob","body":"x"}""", "field 'cid' must be a string")]
    [InlineData("""{"type":"send","to":"bob","body":"x"}""", "missing field 'cid'")]
    [InlineData("""{"type":"send","cid":"c","body":"x"}""", "give exactly one of 'to' and 'conv'")]
    [InlineData("""{"type":"send","cid":"c","to":"a","conv":"d:a:b","body":"x"}""", "give exactly one of 'to' and 'conv'")]
    [InlineData("""{"type":"send","cid":"c","to":"bob","body":"x","kind":"audio"}""", "kind must be text, image, video or file")]
    [InlineData("""{"type":"send","cid":"c","to":"bob","body":"x","ttl":0}""", "ttl must be at least 1 second")]
    [InlineData("""{"type":"read","conv":"d:a:b","upTo":"x"}""", "field 'upTo' must be an integer")]
    [InlineData("""{"type":"read","conv":"d:a:b"}""", "missing field 'upTo'")]
    [InlineData("""{"type":"ack","seq":1.5}""", "field 'seq' must be an integer")]
    [InlineData("""{"type":"history","conv":"d:a:b","limit":0}""", "limit must be at least 1")]
    public void Invalid_fields_are_bad_requests_that_name_the_field(string json, string message)
    {
        var error = Fail(json);
        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"type":"ping"} trailing""")]
    [InlineData("""{"type":"ping",""")]
    [InlineData("")]
    public void Malformed_json_is_a_bad_request(string json) => Assert.Equal(ErrorCodes.BadRequest, Fail(json).Code);

    [Fact]
    public void Missing_and_unknown_types_are_bad_requests_with_the_rid()
    {
        Assert.Equal(("r", "missing field 'type'"), (Fail("""{"rid":"r"}""").Rid, Fail("""{"rid":"r"}""").Message));
        var unknown = Fail("""{"type":"dance","rid":"r2"}""");
        Assert.Equal("r2", unknown.Rid);
        Assert.Equal("unknown type 'dance'", unknown.Message);
    }

    [Fact]
    public void A_rid_over_64_characters_is_refused_before_anything_runs()
    {
        var error = Fail($$"""{"type":"ping","rid":"{{new string('r', 65)}}"}""");
        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        Assert.IsType<PingRequest>(Parse($$"""{"type":"ping","rid":"{{new string('r', 64)}}"}"""));
    }

    [Fact]
    public void Unknown_fields_are_ignored_whatever_their_shape()
    {
        var ping = Assert.IsType<PingRequest>(Parse("""{"x":{"y":[1,{"z":null}]},"type":"ping","rid":"p","w":3}"""));
        Assert.Equal("p", ping.Rid);
    }

    [Fact]
    public void Hello_reads_token_after_and_background()
    {
        var hello = Assert.IsType<HelloRequest>(Parse("""{"type":"hello","token":"t","after":7,"background":true}"""));
        Assert.Equal(("t", 7L, true), (hello.Token, hello.After, hello.Background));
        var plain = Assert.IsType<HelloRequest>(Parse("""{"type":"hello","token":"t"}"""));
        Assert.Null(plain.After);
        Assert.False(plain.Background);
    }

    [Fact]
    public void History_limit_is_capped_at_200()
    {
        var history = Assert.IsType<HistoryRequest>(Parse("""{"type":"history","conv":"d:a:b","limit":1000,"before":9}"""));
        Assert.Equal((200L, 9L), (history.Limit, history.Before));
    }

    [Fact]
    public void Presence_requests_parse_into_typed_requests()
    {
        var subscribe = Assert.IsType<PresenceSubscribeRequest>(Parse("""{"type":"presence.subscribe","rid":"p","users":["bob","carol"]}"""));
        Assert.Equal(["bob", "carol"], subscribe.Users);
        Assert.True(Assert.IsType<PresenceSetRequest>(Parse("""{"type":"presence.set","state":"away"}""")).Away);
        Assert.False(Assert.IsType<PresenceSetRequest>(Parse("""{"type":"presence.set","state":"active"}""")).Away);
        Assert.Equal("contacts", Assert.IsType<PrivacyRequest>(Parse("""{"type":"privacy","rid":"x","lastSeen":"contacts"}""")).LastSeen);
        var typing = Assert.IsType<TypingRequest>(Parse("""{"type":"typing","conv":"d:a_1:bob","state":"composing"}"""));
        Assert.Equal(("d:a_1:bob", true), (typing.Conv, typing.Composing));
    }

    [Theory]
    [InlineData("""{"type":"presence.subscribe","rid":"r"}""", "missing field 'users'")]
    [InlineData("""{"type":"presence.subscribe","rid":"r","users":"bob"}""", "field 'users' must be an array of strings")]
    [InlineData("""{"type":"presence.subscribe","rid":"r","users":[1]}""", "field 'users' must be an array of strings")]
    [InlineData("""{"type":"presence.set","rid":"r","state":"busy"}""", "state must be active or away")]
    [InlineData("""{"type":"presence.set","rid":"r"}""", "missing field 'state'")]
    [InlineData("""{"type":"privacy","rid":"r","lastSeen":"friends"}""", "lastSeen must be everyone, contacts or nobody")]
    [InlineData("""{"type":"privacy","rid":"r","lastSeen":true}""", "field 'lastSeen' must be a string")]
    [InlineData("""{"type":"typing","rid":"r","conv":"d:a_1:bob","state":"typing"}""", "state must be composing or paused")]
    [InlineData("""{"type":"typing","rid":"r","state":"paused"}""", "missing field 'conv'")]
    public void Malformed_presence_requests_are_bad_requests_with_their_rid(string json, string message)
    {
        var error = Fail(json);
        Assert.Equal(("r", ErrorCodes.BadRequest, message), (error.Rid, error.Code, error.Message));
    }
}

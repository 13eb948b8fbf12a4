using System.Text;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Core.Tests;

/// <summary>The v1.1 fields and requests: parsed strictly, one clear bad_request per bad frame; the new fields written.</summary>
public class V11FrameParserTests
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
    public void Send_carries_replyTo_when_given_and_null_when_absent_or_null()
    {
        Assert.Equal(3, Assert.IsType<SendRequest>(Parse("""{"type":"send","cid":"c","to":"bob","body":"x","replyTo":3}""")).ReplyTo);
        Assert.Null(Assert.IsType<SendRequest>(Parse("""{"type":"send","cid":"c","to":"bob","body":"x"}""")).ReplyTo);
        Assert.Null(Assert.IsType<SendRequest>(Parse("""{"type":"send","cid":"c","to":"bob","body":"x","replyTo":null}""")).ReplyTo);
    }

    [Fact]
    public void React_parses_an_emoji_or_null()
    {
        var set = Assert.IsType<ReactRequest>(Parse("""{"type":"react","rid":"r","conv":"d:a_1:bob","n":4,"emoji":"👍"}"""));
        Assert.Equal(("d:a_1:bob", 4L, "👍"), (set.Conv, set.N, set.Emoji));
        Assert.Null(Assert.IsType<ReactRequest>(Parse("""{"type":"react","rid":"r","conv":"d:a_1:bob","n":4,"emoji":null}""")).Emoji);
        Assert.Equal(new string('x', 32),
            Assert.IsType<ReactRequest>(Parse($$"""{"type":"react","conv":"g:1","n":1,"emoji":"{{new string('x', 32)}}"}""")).Emoji);
    }

    [Fact]
    public void Edit_keeps_the_body_byte_for_byte_and_ignores_kind_and_media()
    {
        const string body = """{ "b":1.0e2 , "a":"\u00e9" }""";
        var edit = Assert.IsType<EditRequest>(Parse($$$"""{"type":"edit","rid":"r","conv":"d:a_1:bob","n":2,"body":{{{body}}},"kind":"image","media":{"id":"m"}}"""));
        Assert.Equal(("d:a_1:bob", 2L, body), (edit.Conv, edit.N, Encoding.UTF8.GetString(edit.Body.Span)));
    }

    [Theory]
    [InlineData("""{"type":"edit","rid":"r","conv":"d:a:b","n":1}""", "missing field 'body'")]
    [InlineData("""{"type":"edit","rid":"r","conv":"d:a:b","n":1,"body":5}""", "field 'body' must be a JSON string or object")]
    [InlineData("""{"type":"edit","rid":"r","conv":"d:a:b","body":"x"}""", "missing field 'n'")]
    [InlineData("""{"type":"send","rid":"r","cid":"c","to":"bob","body":"x","replyTo":"1"}""", "field 'replyTo' must be an integer")]
    [InlineData("""{"type":"send","rid":"r","cid":"c","to":"bob","body":"x","replyTo":1.5}""", "field 'replyTo' must be an integer")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","n":1}""", "missing field 'emoji' (a string, or null to take the reaction back)")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","n":1,"emoji":""}""", "emoji must be 1 to 32 UTF-8 bytes, or null")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","n":1,"emoji":"123456789012345678901234567890123"}""", "emoji must be 1 to 32 UTF-8 bytes, or null")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","n":1,"emoji":"😀😀😀😀😀😀😀😀😀"}""", "emoji must be 1 to 32 UTF-8 bytes, or null")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","n":1,"emoji":7}""", "field 'emoji' must be a string or null")]
    [InlineData("""{"type":"react","rid":"r","n":1,"emoji":"x"}""", "missing field 'conv'")]
    [InlineData("""{"type":"react","rid":"r","conv":"d:a:b","emoji":"x"}""", "missing field 'n'")]
    public void Bad_v11_fields_are_one_bad_request_that_names_the_problem(string json, string message)
    {
        var error = Fail(json);
        Assert.Equal(("r", ErrorCodes.BadRequest, message), (error.Rid, error.Code, error.Message));
    }

    [Fact]
    public void Message_fields_carry_replyTo_and_reactions_only_when_set()
    {
        var plain = Encoding.UTF8.GetString(ServerFrameWriter.MessageEvent(1, new MessageView("m", 1, "d:a:b", "a", "c", "text", "\"x\""u8.ToArray(), 5, null)));
        var reply = Encoding.UTF8.GetString(ServerFrameWriter.MessageEvent(2, new MessageView("m", 2, "d:a:b", "a", "c", "text", "\"x\""u8.ToArray(), 5, null,
            ReplyTo: 1, Reactions: [new ReactionView("b", "👍")])));

        Assert.DoesNotContain("replyTo", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("reactions", plain, StringComparison.Ordinal);
        using var parsed = System.Text.Json.JsonDocument.Parse(reply);
        Assert.Equal(1, parsed.RootElement.GetProperty("replyTo").GetInt64());
        var reaction = Assert.Single(parsed.RootElement.GetProperty("reactions").EnumerateArray());
        Assert.Equal(("b", "👍"), (reaction.GetProperty("by").GetString(), reaction.GetProperty("emoji").GetString()));
        Assert.Equal("""{"type":"reaction","seq":3,"conv":"d:a:b","n":2,"by":"b","emoji":null}""",
            Encoding.UTF8.GetString(ServerFrameWriter.ReactionEvent(3, "d:a:b", 2, "b", null)));
    }

    [Fact]
    public void Block_unblock_and_blocked_parse_with_their_user()
    {
        Assert.Equal("bob", Assert.IsType<BlockRequest>(Parse("""{"type":"block","rid":"r","user":"bob"}""")).User);
        Assert.Equal("bob", Assert.IsType<UnblockRequest>(Parse("""{"type":"unblock","rid":"r","user":"bob","extra":[1]}""")).User);
        Assert.Equal("r", Assert.IsType<BlockedRequest>(Parse("""{"type":"blocked","rid":"r"}""")).Rid);
    }

    [Theory]
    [InlineData("""{"type":"block","rid":"r"}""", "missing field 'user'")]
    [InlineData("""{"type":"block","rid":"r","user":null}""", "missing field 'user'")]
    [InlineData("""{"type":"unblock","rid":"r","user":7}""", "field 'user' must be a string")]
    [InlineData("""{"type":"block","rid":"r","user":{"name":"bob"}}""", "field 'user' must be a string")]
    public void A_bad_block_or_unblock_is_one_bad_request_with_its_rid(string json, string message)
    {
        var error = Fail(json);
        Assert.Equal((ErrorCodes.BadRequest, "r", message), (error.Code, error.Rid, error.Message));
    }

    [Fact]
    public void The_blocked_reply_lists_the_users()
    {
        var json = Encoding.UTF8.GetString(ServerFrameWriter.BlockedOk("r", ["bob", "carol"]));
        Assert.Equal("""{"type":"ok","rid":"r","users":["bob","carol"]}""", json);
        Assert.Equal("""{"type":"ok","rid":"r","users":[]}""", Encoding.UTF8.GetString(ServerFrameWriter.BlockedOk("r", [])));
    }

    [Fact]
    public void Invite_requests_parse_with_their_conv_or_code()
    {
        Assert.Equal("g:1", Assert.IsType<GroupInviteRequest>(Parse("""{"type":"group.invite","rid":"r","conv":"g:1"}""")).Conv);
        Assert.Equal("g:1", Assert.IsType<GroupRevokeInviteRequest>(Parse("""{"type":"group.revokeInvite","rid":"r","conv":"g:1"}""")).Conv);
        Assert.Equal("abc", Assert.IsType<GroupJoinRequest>(Parse("""{"type":"group.join","rid":"r","code":"abc"}""")).Code);
    }

    [Theory]
    [InlineData("""{"type":"group.join","rid":"r"}""", "missing field 'code'")]
    [InlineData("""{"type":"group.join","rid":"r","code":1}""", "field 'code' must be a string")]
    [InlineData("""{"type":"group.invite","rid":"r"}""", "missing field 'conv'")]
    [InlineData("""{"type":"group.revokeInvite","rid":"r","conv":false}""", "field 'conv' must be a string")]
    public void A_bad_invite_request_is_one_bad_request_with_its_rid(string json, string message)
    {
        var error = Fail(json);
        Assert.Equal((ErrorCodes.BadRequest, "r", message), (error.Code, error.Rid, error.Message));
    }

    [Fact]
    public void The_invite_reply_carries_the_code_and_welcome_says_1_1()
    {
        Assert.Equal("""{"type":"ok","rid":"r","code":"abc"}""", Encoding.UTF8.GetString(ServerFrameWriter.InviteOk("r", "abc")));
        Assert.Equal("1.1", ServerFrameWriter.ProtocolVersion);
    }
}

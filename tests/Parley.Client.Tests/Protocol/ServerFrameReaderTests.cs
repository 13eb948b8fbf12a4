using System.Text;
using System.Text.Json;
using Parley.Protocol;
using Parley.Protocol.Client;
using Parley.Protocol.Frames;

namespace Parley.Client.Tests.Protocol;

public class ServerFrameReaderTests
{
    private static ServerFrame Read(string json) => ServerFrameReader.Read(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData("\"plain text\"")]
    [InlineData("\"esc\\u00e9\\n\\\"q\\\" \\/ é 😀\"")]
    [InlineData("{ \"b\" : 1.50e+3 ,\n\t\"a\":[true, null, {\"x\":\"\\u0041\"}] }")]
    [InlineData("{}")]
    [InlineData("{\"z\":-0.0,\"a\":1E2,\"nested\":{\"deep\":[[[]]]}}")]
    public void A_message_body_reaches_the_application_byte_for_byte(string body)
    {
        var frame = Read($$"""{"type":"message","seq":7,"id":"m1","n":3,"conv":"d:alice:bob","from":"bob","cid":"c1","kind":"text","body":{{body}},"ts":1700000000000}""");

        var message = Assert.IsType<MessageEvent>(frame);
        Assert.Equal(body, message.Body);
        Assert.Equal(7, message.Seq);
        Assert.Equal(3, message.N);
        Assert.Equal("d:alice:bob", message.Conv);
        Assert.Equal("bob", message.From);
        Assert.Null(message.Media);
        Assert.Null(message.ExpiresAt);
        Assert.Equal(7, message.InboxSeq);
    }

    [Fact]
    public void A_body_written_by_the_servers_writer_round_trips_through_the_client_reader_unchanged()
    {
        const string body = "{\"k\":\"v\",  \"n\":1.0}";
        var bytes = ServerFrameWriter.MessageEvent(9, new MessageView("id1", 4, "g:x", "carol", "cid", "text", Encoding.UTF8.GetBytes(body), 5, 6));

        var message = Assert.IsType<MessageEvent>(ServerFrameReader.Read(bytes));

        Assert.Equal(body, message.Body);
        Assert.Equal(6, message.ExpiresAt);
        Assert.Equal("g:x", message.Conv);
    }

    [Fact]
    public void Fields_may_come_in_any_order_and_unknown_fields_are_ignored()
    {
        var frame = Read("""{"body":"\"x\"","extra":{"a":[1,2]},"ts":1,"n":1,"seq":2,"conv":"d:a:b","cid":"c","from":"a","id":"i","type":"message","more":null}""");

        var message = Assert.IsType<MessageEvent>(frame);
        Assert.Equal("\"\\\"x\\\"\"", message.Body);
        Assert.Equal(MessageKinds.Text, message.Kind);
    }

    [Fact]
    public void Media_is_read_with_its_optional_fields()
    {
        var frame = Read("""{"type":"message","seq":1,"id":"i","n":1,"conv":"d:a:b","from":"a","cid":"c","kind":"image","body":"\"\"","media":{"id":"md1","mime":"image/png","size":123,"width":10,"height":20,"thumbnail":true},"ts":1,"expiresAt":99}""");

        var message = Assert.IsType<MessageEvent>(frame);
        Assert.Equal(new MediaInfo("md1", "image/png", 123, 10, 20, null, true), message.Media);
        Assert.Equal(99, message.ExpiresAt);
    }

    [Fact]
    public void Welcome_is_read_with_its_limits()
    {
        var welcome = Assert.IsType<WelcomeFrame>(Read("""{"type":"welcome","user":"alice","device":"d1","head":42,"serverTime":5,"limits":{"maxFrameBytes":65536,"maxBodyBytes":16384,"maxGroupMembers":200}}"""));

        Assert.Equal(new WelcomeFrame("alice", "d1", 42, 5, new ServerLimits(65536, 16384, 200)), welcome);
        Assert.Null(welcome.InboxSeq);
        Assert.Null(welcome.Limits.EditWindowSeconds);
    }

    [Fact]
    public void Welcome_limits_carry_the_edit_window_when_the_server_announces_it()
    {
        var welcome = Assert.IsType<WelcomeFrame>(Read(
            """{"type":"welcome","user":"alice","device":"d1","head":0,"serverTime":5,"limits":{"maxFrameBytes":65536,"maxBodyBytes":16384,"maxGroupMembers":200,"editWindowSeconds":900,"media":[]}}"""));

        Assert.Equal(new ServerLimits(65536, 16384, 200, 900), welcome.Limits);
    }

    [Fact]
    public void Error_is_read_with_rid_code_message_and_retry_hint()
    {
        var error = Assert.IsType<ErrorFrame>(Read("""{"type":"error","rid":"r9","code":"rate_limited","message":"slow down","retryAfterMs":250}"""));

        Assert.Equal(new ErrorFrame("r9", ErrorCodes.RateLimited, "slow down", 250), error);
    }

    [Fact]
    public void Every_inbox_event_type_is_read_into_its_record()
    {
        Assert.Equal(new ReceiptEvent(3, "d:a:b", "b", ReceiptStatuses.Read, 7),
            Read("""{"type":"receipt","seq":3,"conv":"d:a:b","by":"b","status":"read","upTo":7}"""));
        var group = Assert.IsType<GroupEvent>(Read("""{"type":"group","seq":4,"conv":"g:1","event":"created","by":"a","members":["a","b"],"name":"Team"}"""));
        Assert.Equal(["a", "b"], group.Members!);
        Assert.Equal("Team", group.Name);
        Assert.Equal(new GroupEvent(5, "g:1", GroupEventKinds.Admin, "a", null, null, "b", false),
            Read("""{"type":"group","seq":5,"conv":"g:1","event":"admin","by":"a","member":"b","admin":false}"""));
        Assert.Equal(new SettingsEvent(6, "g:1", null), Read("""{"type":"settings","seq":6,"conv":"g:1","retention":null}"""));
        Assert.Equal(new SettingsEvent(7, "g:1", 3600), Read("""{"type":"settings","seq":7,"conv":"g:1","retention":3600}"""));
        Assert.Equal(new FailedEvent(8, "d:a:b", "c1", "m1", "b", FailureReasons.Gone),
            Read("""{"type":"failed","seq":8,"conv":"d:a:b","cid":"c1","id":"m1","to":"b","reason":"gone"}"""));
        Assert.Equal(new DeletedEvent(9, "d:a:b", 2), Read("""{"type":"deleted","seq":9,"conv":"d:a:b","n":2}"""));
    }

    [Fact]
    public void Presence_and_typing_are_read_and_are_not_inbox_events()
    {
        var presence = Read("""{"type":"presence","user":"bob","online":false,"lastSeen":123}""");
        var typing = Read("""{"type":"typing","conv":"d:a:b","user":"bob","state":"composing"}""");

        Assert.Equal(new PresenceEvent("bob", false, 123), presence);
        Assert.Equal(new TypingEvent("d:a:b", "bob", TypingStates.Composing), typing);
        Assert.Null(presence.InboxSeq);
        Assert.Null(typing.InboxSeq);
        Assert.Equal(new PresenceEvent("bob", true, null), Read("""{"type":"presence","user":"bob","online":true,"lastSeen":null}"""));
    }

    [Fact]
    public void An_unknown_type_is_kept_whole_and_its_seq_makes_it_an_inbox_event()
    {
        const string json = """{"type":"poll","seq":12,"id":42,"question":"👍?"}""";

        var unknown = Assert.IsType<UnknownFrame>(Read(json));

        Assert.Equal("poll", unknown.Type);
        Assert.Equal(12, unknown.InboxSeq);
        Assert.Equal(json, Encoding.UTF8.GetString(unknown.Utf8.Span));
    }

    [Fact]
    public void An_ok_keeps_its_rid_and_its_result_for_the_typed_readers()
    {
        var ok = Assert.IsType<OkFrame>(Read("""{"type":"ok","rid":"5","id":"m1","n":2,"conv":"d:a:b","seq":10,"ts":99,"duplicate":true}"""));

        Assert.Equal("5", ok.Rid);
        Assert.Equal(new SendResult("m1", 2, "d:a:b", 10, 99, null, true), ok.ReadSendResult());
        Assert.Equal(10, ok.ReadResult().GetProperty("seq").GetInt64());
    }

    [Fact]
    public void A_send_reply_without_duplicate_reads_as_not_a_duplicate()
    {
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.SendOk("r1", new SendResultView("m", 1, "d:a:b", 2, 3, 4, false))));

        Assert.Equal(new SendResult("m", 1, "d:a:b", 2, 3, 4, false), ok.ReadSendResult());
    }

    [Fact]
    public void History_bodies_come_back_byte_for_byte_in_ascending_n()
    {
        string[] bodies = ["\"one\"", "{ \"two\" : 2 }", "\"th\\u0072ee\""];
        var views = bodies.Select((b, i) => new MessageView($"m{i}", i + 1, "d:a:b", "a", $"c{i}", "text", Encoding.UTF8.GetBytes(b), i, null)).ToList();
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.History("r", views)));

        var history = ok.ReadHistory();

        Assert.Equal(bodies, history.Select(m => m.Body));
        Assert.Equal([1L, 2L, 3L], history.Select(m => m.N));
    }

    [Fact]
    public void Conversations_are_read_through_source_generated_json()
    {
        var ok = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.Convs("r", [new ConversationView("d:a:b", "direct", null, 5, 3, 2, null, ["a", "b"], 4, 1)])));

        var conversation = Assert.Single(ok.ReadConversations());

        Assert.Equal("d:a:b", conversation.Conv);
        Assert.Equal(5, conversation.LastN);
        Assert.Equal(3, conversation.ReadUpTo);
        Assert.Equal(2, conversation.Unread);
        Assert.Null(conversation.Retention);
        Assert.Equal(["a", "b"], conversation.Members!);
        Assert.Equal(4, conversation.PeerDelivered);
        Assert.Equal(1, conversation.PeerRead);
    }

    [Fact]
    public void Group_descriptions_are_read_from_the_event_group_info_convs_and_welcome()
    {
        var described = Assert.IsType<GroupEvent>(Read("""{"type":"group","seq":4,"conv":"g:1","by":"a","event":"described","description":"Hikes\non Saturdays"}"""));
        var cleared = Assert.IsType<GroupEvent>(Read("""{"type":"group","seq":5,"conv":"g:1","by":"a","event":"described","description":""}"""));
        var info = ((OkFrame)Read("""{"type":"ok","rid":"1","name":"T","description":"About T","members":["a"],"admins":["a"],"retention":null}""")).ReadGroupInfo();
        var older = ((OkFrame)Read("""{"type":"ok","rid":"1","name":"T","members":["a"],"admins":["a"],"retention":null}""")).ReadGroupInfo();
        var convs = Assert.IsType<OkFrame>(ServerFrameReader.Read(ServerFrameWriter.Convs("r",
            [new ConversationView("g:1", "group", "T", 1, 1, 0, null, ["a"], 0, 0, Description: "About T"),
             new ConversationView("d:a:b", "direct", null, 1, 1, 0, null, ["a", "b"], 0, 0)]))).ReadConversations();
        var welcome = Assert.IsType<WelcomeFrame>(Read("""{"type":"welcome","user":"a","device":"d","head":0,"serverTime":1,"limits":{"maxFrameBytes":65536,"maxBodyBytes":16384,"maxGroupMembers":200,"maxGroupDescriptionChars":512}}"""));

        Assert.Equal((GroupEventKinds.Described, "a", "Hikes\non Saturdays"), (described.Event, described.By, described.Description));
        Assert.Equal("", cleared.Description);
        Assert.Null(Assert.IsType<GroupEvent>(Read("""{"type":"group","seq":6,"conv":"g:1","by":"a","event":"renamed","name":"U"}""")).Description);
        Assert.Equal(("T", "About T"), (info.Name, info.Description));
        Assert.Equal("", older.Description);
        Assert.Equal(new string?[] { "About T", null }, convs.Select(c => c.Description));
        Assert.Equal(512, welcome.Limits.MaxGroupDescriptionChars);
        Assert.Throws<System.Text.Json.JsonException>(() => Read("""{"type":"group","seq":7,"conv":"g:1","by":"a","event":"described","description":5}"""));
    }

    [Fact]
    public void Group_presence_and_ping_results_are_read()
    {
        Assert.Equal(123, ((OkFrame)Read("""{"type":"ok","rid":"1","ts":123}""")).ReadPingTime());
        var info = ((OkFrame)Read("""{"type":"ok","rid":"1","name":"T","members":["a","b"],"admins":["a"],"retention":60}""")).ReadGroupInfo();
        Assert.Equal("T", info.Name);
        Assert.Equal(60, info.Retention);
        var presence = ((OkFrame)Read("""{"type":"ok","rid":"1","presence":[{"user":"b","online":true,"lastSeen":null}]}""")).ReadPresence();
        Assert.Equal(new PresenceStatus("b", true, null), Assert.Single(presence));
        var receipts = ((OkFrame)Read("""{"type":"ok","rid":"1","delivered":["b","c"],"read":["b"]}""")).ReadReceipts();
        Assert.Equal(["b", "c"], receipts.Delivered);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    [InlineData("{\"seq\":1}")]
    [InlineData("{\"type\":\"message\",\"seq\":1}")]
    [InlineData("{\"type\":\"message\",\"seq\":\"1\",\"id\":\"i\",\"n\":1,\"conv\":\"c\",\"from\":\"a\",\"body\":\"\\\"x\\\"\",\"ts\":1}")]
    [InlineData("{\"type\":\"ok\"} trailing")]
    public void A_malformed_frame_is_a_JsonException(string json) =>
        Assert.ThrowsAny<JsonException>(() => Read(json));

    [Fact]
    public void A_known_field_name_with_another_shape_in_an_unknown_type_is_not_an_error()
    {
        var unknown = Assert.IsType<UnknownFrame>(Read("""{"type":"future","id":7,"n":"x","members":{"a":1}}"""));

        Assert.Null(unknown.Seq);
    }
}

using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Groups;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Replies;

/// <summary>
/// v1.1 replies: <c>send</c> may carry <c>replyTo</c>, the n of a message of the same conversation the sender can see;
/// the message event, history and the send reply (duplicate too) carry it; a target that is missing, deleted, expired or
/// in another conversation is <c>not_found</c> and nothing is stored.
/// </summary>
public sealed class ReplyTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task A_reply_carries_replyTo_in_its_ok_its_message_events_and_history()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        await aliceClient.SendOkAsync(bob.Username, "\"question\"");

        var reply = await bobClient.ReplyAsync(conv, 1, "{\"text\":\"answer\"}");

        Assert.True(reply.IsOk, reply.Raw);
        Assert.Equal(2, reply.Number("n"));
        Assert.Equal(1, reply.Number("replyTo"));
        var atAlice = await aliceClient.NextEventAsync("message", f => f.Number("n") == 2);
        var atBob = await bobClient.NextEventAsync("message", f => f.Number("n") == 2);
        Assert.Equal(1, atAlice.Number("replyTo"));
        Assert.Equal(1, atBob.Number("replyTo"));
        var first = await aliceClient.NextEventAsync("message", f => f.Number("n") == 1);
        Assert.False(first.Has("replyTo"), first.Raw);
        var history = (await aliceClient.HistoryAsync(conv)).Get("messages").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.False(history[0].TryGetProperty("replyTo", out _), history[0].ToString());
        Assert.Equal(1, history[1].GetProperty("replyTo").GetInt64());
    }

    [Fact]
    public async Task A_duplicate_reply_returns_the_first_reply_with_its_replyTo()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await client.SendOkAsync(bob.Username, "\"one\"");
        var cid = RawClient.NewCid();

        var first = await client.ReplyAsync(conv, 1, cid: cid);
        var again = await client.ReplyAsync(conv, 1, cid: cid);

        Assert.True(first.IsOk, first.Raw);
        Assert.True(again.IsOk, again.Raw);
        Assert.True(again.Get("duplicate").GetBoolean());
        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal(first.Number("n"), again.Number("n"));
        Assert.Equal(1, again.Number("replyTo"));
    }

    [Fact]
    public async Task A_reply_to_a_message_that_does_not_exist_is_not_found_and_stores_nothing()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await client.SendOkAsync(bob.Username, "\"one\"");

        var missing = await client.ReplyAsync(conv, 2);
        var zero = await client.ReplyAsync(conv, 0);
        var next = await client.SendOkAsync(bob.Username, "\"two\"");

        GroupWire.IsError(missing, "not_found");
        GroupWire.IsError(zero, "not_found");
        Assert.Equal(2, next.Number("n"));
        Assert.Equal([1L, 2], MessageNumbers(await client.HistoryAsync(conv)));
    }

    [Fact]
    public async Task A_reply_to_a_deleted_message_is_not_found()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        await client.SendOkAsync(bob.Username, "\"oops\"");
        await client.OkAsync(new JsonObject { ["type"] = "delete", ["conv"] = conv, ["n"] = 1 });

        var reply = await client.ReplyAsync(conv, 1);

        GroupWire.IsError(reply, "not_found");
        Assert.Equal(2, (await client.SendOkAsync(bob.Username, "\"next\"")).Number("n"));
    }

    [Fact]
    public async Task A_reply_to_an_n_that_exists_only_in_another_conversation_is_not_found()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        var carol = await Server.NewUserAsync("carol");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        await client.SendOkAsync(carol.Username, "\"to carol 1\"");
        await client.SendOkAsync(carol.Username, "\"to carol 2\"");
        await client.SendOkAsync(bob.Username, "\"to bob 1\"");

        var reply = await client.ReplyAsync(Names.Direct(alice.Username, bob.Username), 2);

        GroupWire.IsError(reply, "not_found");
    }

    [Fact]
    public async Task A_reply_to_an_expired_message_is_not_found()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var conv = Names.Direct(alice.Username, bob.Username);
        var sent = await client.RequestAsync(new JsonObject
        {
            ["type"] = "send", ["cid"] = RawClient.NewCid(), ["to"] = bob.Username, ["body"] = "brief", ["ttl"] = 1,
        });
        Assert.True(sent.IsOk, sent.Raw);
        var expiresAt = sent.Number("expiresAt");
        // Wait, bounded, until the server's own clock has passed expiresAt (ping carries it).
        for (var i = 0; i < 100 && (await client.PingAsync()).Number("ts") <= expiresAt; i++)
        {
            await Task.Delay(50);
        }

        var reply = await client.ReplyAsync(conv, 1);

        GroupWire.IsError(reply, "not_found");
    }

    [Fact]
    public async Task A_group_member_cannot_reply_to_a_message_sent_before_they_joined()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob", "carol");
        var ((alice, aliceClient), (bob, _), (carol, carolClient)) = users;
        var conv = await aliceClient.CreateGroupAsync("replies", bob);
        await aliceClient.SendToGroupAsync(conv, "\"before carol\"");
        await aliceClient.OkAsync(GroupWire.Add(conv, carol.Username));
        await carolClient.NextGroupEventAsync(conv, "added");
        await aliceClient.SendToGroupAsync(conv, "\"after carol\"");

        var early = await carolClient.ReplyAsync(conv, 1);
        var late = await carolClient.ReplyAsync(conv, 2);

        GroupWire.IsError(early, "not_found");
        Assert.True(late.IsOk, late.Raw);
        Assert.Equal(2, late.Number("replyTo"));
        Assert.Equal(3, late.Number("n"));
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("{}")]
    public async Task A_replyTo_that_is_not_an_integer_is_bad_request(string replyTo)
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        await client.SendOkAsync(bob.Username);
        var rid = RawClient.NewRid();

        await client.SendRawAsync(
            $"{{\"type\":\"send\",\"rid\":\"{rid}\",\"cid\":\"{RawClient.NewCid()}\",\"to\":\"{bob.Username}\",\"body\":\"x\",\"replyTo\":{replyTo}}}");

        GroupWire.IsError(await client.ReplyAsync(rid), "bad_request");
        Assert.Equal(2, (await client.SendOkAsync(bob.Username)).Number("n"));
    }

    private static List<long> MessageNumbers(Frame history) =>
        [.. history.Get("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64())];
}

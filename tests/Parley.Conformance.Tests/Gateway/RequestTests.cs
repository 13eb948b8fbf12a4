using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Gateway;

/// <summary>Request ids and replies.</summary>
public sealed class RequestTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task Ping_replies_ok_with_its_rid_and_the_server_time()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var reply = await client.OkAsync(new JsonObject { ["type"] = "ping", ["rid"] = "ping-1" });

        Assert.Equal("ping-1", reply.Rid);
        Assert.InRange(reply.Number("ts"), before - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000);
    }

    [Fact]
    public async Task Every_request_with_a_rid_gets_exactly_one_reply_with_that_rid()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice);
        var conv = Names.Direct(alice.Username, bob.Username);
        string[] rids = ["q-send", "q-read", "q-history", "q-convs", "q-ping", "q-missing"];

        await client.SendRawAsync(RawClient.SendFrame("q-send", RawClient.NewCid(), bob.Username, null, "\"hi\""));
        await client.SendAsync(new JsonObject { ["type"] = "read", ["rid"] = "q-read", ["conv"] = conv, ["upTo"] = 1 });
        await client.SendAsync(new JsonObject { ["type"] = "history", ["rid"] = "q-history", ["conv"] = conv });
        await client.SendAsync(new JsonObject { ["type"] = "convs", ["rid"] = "q-convs" });
        await client.SendAsync(new JsonObject { ["type"] = "ping", ["rid"] = "q-ping" });
        await client.SendRawAsync(RawClient.SendFrame("q-missing", RawClient.NewCid(), Names.User("nobody"), null, "\"hi\""));
        foreach (var rid in rids) await client.ReplyAsync(rid);
        await client.PingAsync();

        foreach (var rid in rids)
        {
            var replies = client.Received.Where(f => f.Rid == rid).ToList();
            Assert.True(replies.Count == 1, $"{rid}: {replies.Count} replies:\n{client.Dump()}");
            Assert.True(replies[0].IsOk || rid == "q-missing", replies[0].Raw);
        }
    }

    [Fact]
    public async Task A_rid_of_64_characters_is_accepted()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);
        var rid = new string('r', 64);

        var reply = await client.RequestAsync(new JsonObject { ["type"] = "ping", ["rid"] = rid });

        Assert.True(reply.IsOk, reply.Raw);
    }

    [Fact]
    public async Task A_rid_over_64_characters_is_bad_request_and_the_request_is_not_executed()
    {
        await using var users = await Server.ConnectUsersAsync("alice", "bob");
        var ((alice, client), (bob, bobClient)) = users;
        var conv = Names.Direct(alice.Username, bob.Username);
        var cid = RawClient.NewCid();

        await client.SendRawAsync(RawClient.SendFrame(new string('r', 65), cid, bob.Username, null, "\"not stored\""));

        var error = await client.NextAsync(f => f.IsError);
        Assert.Equal("bad_request", error.Str("code"));
        Assert.DoesNotContain(client.Received, f => f.IsOk);
        var history = await client.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        Assert.Equal(0, history.Get("messages").GetArrayLength());
        // The cid was not used up: sending it now stores a first message.
        var retry = await client.SendOkAsync(bob.Username, "\"stored\"", cid);
        Assert.False(retry.Json.TryGetProperty("duplicate", out var dup) && dup.ValueKind == JsonValueKind.True, retry.Raw);
        Assert.Equal(1, retry.Number("n"));
        var received = await bobClient.NextEventAsync("message");
        Assert.Equal("\"stored\"", RawJson.Value(received.Raw, "body"));
    }

    [Fact]
    public async Task An_error_reply_carries_the_rid_code_and_message()
    {
        var alice = await Server.NewUserAsync("alice");
        await using var client = await Server.ConnectAsync(alice);

        var reply = await client.SendMessageAsync(Names.User("nobody"), rid: "to-nobody");

        Assert.True(reply.IsError, reply.Raw);
        Assert.Equal("to-nobody", reply.Rid);
        Assert.Equal("not_found", reply.Str("code"));
        Assert.Equal(JsonValueKind.String, reply.Get("message").ValueKind);
    }
}

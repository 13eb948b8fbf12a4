using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Messages;

/// <summary>history: the newest <c>limit</c> messages before <c>before</c>, in ascending n.</summary>
public sealed class HistoryTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private TestServer Server => shared.Server;

    [Fact]
    public async Task History_returns_the_messages_in_ascending_n_with_their_fields()
    {
        await using var users = await Server.ConnectUsersAsync(autoAck: true, "alice", "bob");
        var ((alice, aliceClient), (bob, bobClient)) = users;
        var r1 = await aliceClient.SendOkAsync(bob.Username, "\"one\"");
        var r2 = await bobClient.SendOkAsync(alice.Username, "{\"two\":2}");
        var r3 = await aliceClient.SendOkAsync(bob.Username, "\"three\"");

        var history = await bobClient.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = r1.Str("conv") });

        var messages = history.Get("messages").EnumerateArray().ToList();
        Assert.Equal([1L, 2, 3], messages.Select(m => m.GetProperty("n").GetInt64()));
        Assert.Equal([r1.Str("id"), r2.Str("id"), r3.Str("id")], messages.Select(m => m.GetProperty("id").GetString()));
        Assert.Equal([alice.Username, bob.Username, alice.Username], messages.Select(m => m.GetProperty("from").GetString()));
        Assert.Equal([r1.Number("ts"), r2.Number("ts"), r3.Number("ts")], messages.Select(m => m.GetProperty("ts").GetInt64()));
        Assert.All(messages, m => Assert.Equal("text", m.GetProperty("kind").GetString()));
        Assert.Equal(["\"one\"", "{\"two\":2}", "\"three\""], RawJson.Values(history.Raw, "body"));
    }

    [Fact]
    public async Task History_pages_backwards_with_before_and_limit()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        for (var i = 1; i <= 5; i++) await client.SendOkAsync(bob.Username, $"\"m{i}\"");
        var conv = Names.Direct(alice.Username, bob.Username);

        var newest = await NumbersAsync(client, conv, before: null, limit: 2);
        var middle = await NumbersAsync(client, conv, before: 4, limit: 2);
        var oldest = await NumbersAsync(client, conv, before: 2, limit: 2);
        var none = await NumbersAsync(client, conv, before: 1, limit: 2);
        var all = await NumbersAsync(client, conv, before: null, limit: null);

        Assert.Equal([4L, 5], newest);
        Assert.Equal([2L, 3], middle);
        Assert.Equal([1L], oldest);
        Assert.Empty(none);
        Assert.Equal([1L, 2, 3, 4, 5], all);
    }

    [Fact]
    public async Task History_returns_50_messages_when_no_limit_is_given()
    {
        const int Count = 55;
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice, autoAck: true);
        var rids = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            var rid = RawClient.NewRid();
            rids.Add(rid);
            await client.SendRawAsync(RawClient.SendFrame(rid, RawClient.NewCid(), bob.Username, null, $"\"m{i}\""));
        }
        foreach (var rid in rids) Assert.True((await client.ReplyAsync(rid)).IsOk);

        var numbers = await NumbersAsync(client, Names.Direct(alice.Username, bob.Username), before: null, limit: null);

        Assert.Equal(Enumerable.Range(Count - 49, 50).Select(i => (long)i), numbers);
    }

    [Fact]
    public async Task History_of_a_conversation_without_messages_is_empty()
    {
        var alice = await Server.NewUserAsync("alice");
        var bob = await Server.NewUserAsync("bob");
        await using var client = await Server.ConnectAsync(alice);

        var numbers = await NumbersAsync(client, Names.Direct(alice.Username, bob.Username), before: null, limit: null);

        Assert.Empty(numbers);
    }

    private static async Task<List<long>> NumbersAsync(RawClient client, string conv, long? before, int? limit)
    {
        var request = new JsonObject { ["type"] = "history", ["conv"] = conv };
        if (before is not null) request["before"] = before.Value;
        if (limit is not null) request["limit"] = limit.Value;
        var reply = await client.OkAsync(request);
        var messages = reply.Get("messages");
        Assert.Equal(JsonValueKind.Array, messages.ValueKind);
        return [.. messages.EnumerateArray().Select(m => m.GetProperty("n").GetInt64())];
    }
}

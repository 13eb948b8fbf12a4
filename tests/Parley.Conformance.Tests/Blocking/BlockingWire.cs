using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Blocking;

/// <summary>The v1.1 <c>block</c>, <c>unblock</c> and <c>blocked</c> requests, written by hand.</summary>
public static class BlockingWire
{
    public static Task<Frame> BlockAsync(this RawClient client, string user) =>
        client.RequestAsync(new JsonObject { ["type"] = "block", ["user"] = user });

    public static Task<Frame> UnblockAsync(this RawClient client, string user) =>
        client.RequestAsync(new JsonObject { ["type"] = "unblock", ["user"] = user });

    /// <summary>The <c>users</c> of the <c>blocked</c> reply, in the order given.</summary>
    public static async Task<List<string>> BlockedAsync(this RawClient client)
    {
        var reply = await client.OkAsync(new JsonObject { ["type"] = "blocked" });
        return [.. reply.Get("users").EnumerateArray().Select(u => u.GetString()!)];
    }

    /// <summary>The n of every message <paramref name="client"/>'s history of the conversation shows.</summary>
    public static async Task<List<long>> HistoryNsAsync(this RawClient client, string conv)
    {
        var history = await client.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        return [.. history.Get("messages").EnumerateArray().Select(m => m.GetProperty("n").GetInt64())];
    }

    /// <summary>The conversation's entry in <c>convs</c>.</summary>
    public static async Task<System.Text.Json.JsonElement> ConvAsync(this RawClient client, string conv)
    {
        var convs = await client.OkAsync(new JsonObject { ["type"] = "convs" });
        return convs.Get("conversations").EnumerateArray().Single(c => c.GetProperty("conv").GetString() == conv);
    }

    /// <summary><c>presence.subscribe</c> to one user: (online, lastSeen) of the snapshot.</summary>
    public static async Task<(bool Online, long? LastSeen)> PresenceOfAsync(this RawClient client, string user)
    {
        var reply = await client.OkAsync(new JsonObject { ["type"] = "presence.subscribe", ["users"] = new JsonArray(user) });
        var entry = reply.Get("presence").EnumerateArray().Single(p => p.GetProperty("user").GetString() == user);
        return PresenceOf(entry);
    }

    /// <summary>
    /// Sends <paramref name="frame"/> (JSON text) with a fresh rid and returns its reply, asserting that it is the only one
    /// (a ping after it is answered and no second reply came).
    /// </summary>
    public static async Task<Frame> OnlyReplyAsync(this RawClient client, string frame)
    {
        var rid = RawClient.NewRid();
        var json = JsonNode.Parse(frame)!.AsObject();
        json["rid"] = rid;
        await client.SendAsync(json);
        var reply = await client.ReplyAsync(rid);
        await client.PingAsync();
        Assert.Empty(client.Untaken(f => f.Rid == rid));
        return reply;
    }

    public static (bool Online, long? LastSeen) PresenceOf(System.Text.Json.JsonElement entry) =>
        (entry.GetProperty("online").GetBoolean(),
         entry.TryGetProperty("lastSeen", out var seen) && seen.ValueKind == System.Text.Json.JsonValueKind.Number ? seen.GetInt64() : null);
}

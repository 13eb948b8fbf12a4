using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Groups;

/// <summary>The group requests of PROTOCOL.md written by hand, and assertions on their replies and events.</summary>
public static class GroupWire
{
    public static JsonObject Create(string name, params string[] members) =>
        new() { ["type"] = "group.create", ["name"] = name, ["members"] = Array(members) };

    public static JsonObject Add(string conv, params string[] members) =>
        new() { ["type"] = "group.add", ["conv"] = conv, ["members"] = Array(members) };

    public static JsonObject Remove(string conv, string member) =>
        new() { ["type"] = "group.remove", ["conv"] = conv, ["member"] = member };

    public static JsonObject Leave(string conv) =>
        new() { ["type"] = "group.leave", ["conv"] = conv };

    public static JsonObject Rename(string conv, string name) =>
        new() { ["type"] = "group.rename", ["conv"] = conv, ["name"] = name };

    public static JsonObject Admin(string conv, string member, bool admin) =>
        new() { ["type"] = "group.admin", ["conv"] = conv, ["member"] = member, ["admin"] = admin };

    public static JsonObject Info(string conv) =>
        new() { ["type"] = "group.info", ["conv"] = conv };

    public static JsonObject ReceiptsOf(string conv, long n) =>
        new() { ["type"] = "receipts", ["conv"] = conv, ["n"] = n };

    public static JsonObject History(string conv) =>
        new() { ["type"] = "history", ["conv"] = conv };

    public static JsonObject Read(string conv, long upTo) =>
        new() { ["type"] = "read", ["conv"] = conv, ["upTo"] = upTo };

    /// <summary>Creates a group and returns its conv, asserting the reply is ok.</summary>
    public static async Task<string> CreateGroupAsync(this RawClient client, string name, params Session[] members)
    {
        var reply = await client.OkAsync(Create(name, [.. members.Select(m => m.Username)]));
        var conv = reply.Str("conv");
        Assert.True(conv is not null && conv.StartsWith("g:", StringComparison.Ordinal), reply.Raw);
        return conv!;
    }

    /// <summary>The ok reply of group.info.</summary>
    public static Task<Frame> InfoAsync(this RawClient client, string conv) => client.OkAsync(Info(conv));

    /// <summary>Sends into a group and asserts the reply is ok.</summary>
    public static Task<Frame> SendToGroupAsync(this RawClient client, string conv, string body = "\"hi\"") =>
        client.SendOkAsync(conv: conv, body: body);

    /// <summary>Waits for the next <c>group</c> inbox event of this kind in this conversation.</summary>
    public static Task<Frame> NextGroupEventAsync(this RawClient client, string conv, string kind, TimeSpan? timeout = null) =>
        client.NextEventAsync("group", f => f.Str("conv") == conv && f.Str("event") == kind, timeout);

    /// <summary>The strings of a JSON array.</summary>
    public static IReadOnlyList<string> Strings(JsonElement array)
    {
        Assert.True(array.ValueKind == JsonValueKind.Array, $"not an array: {array}");
        return [.. array.EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>Asserts an array holds exactly these usernames, in any order, each once.</summary>
    public static void SameUsers(IEnumerable<string> expected, JsonElement actual)
    {
        var got = Strings(actual);
        Assert.Equal(expected.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
    }

    public static void SameUsers(IEnumerable<Session> expected, JsonElement actual) =>
        SameUsers(expected.Select(s => s.Username), actual);

    /// <summary>Asserts the reply is an error with this code.</summary>
    public static void IsError(Frame reply, string code)
    {
        Assert.True(reply.IsError, $"expected error {code}, got {reply.Raw}");
        Assert.Equal(code, reply.Str("code"));
    }

    /// <summary>The n of every message event of this conversation received so far, in arrival order.</summary>
    public static IReadOnlyList<long> MessageNumbers(RawClient client, string conv) =>
        [.. client.Received.Where(f => f.Type == "message" && f.Str("conv") == conv).Select(f => f.Number("n"))];

    private static JsonArray Array(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);
}

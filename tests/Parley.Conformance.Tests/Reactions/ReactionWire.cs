using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Reactions;

/// <summary>The v1.1 <c>react</c> request and what history says of reactions, written by hand.</summary>
public static class ReactionWire
{
    public static JsonObject React(string conv, long n, string? emoji) =>
        new() { ["type"] = "react", ["conv"] = conv, ["n"] = n, ["emoji"] = emoji is null ? null : JsonValue.Create(emoji) };

    /// <summary>Reacts and returns the reply (ok or error).</summary>
    public static Task<Frame> ReactAsync(this RawClient client, string conv, long n, string? emoji) =>
        client.RequestAsync(React(conv, n, emoji));

    /// <summary>The next <c>reaction</c> inbox event of this conversation.</summary>
    public static Task<Frame> NextReactionAsync(this RawClient client, string conv, TimeSpan? timeout = null) =>
        client.NextEventAsync("reaction", f => f.Str("conv") == conv, timeout);

    /// <summary>The (by, emoji) pairs history shows for message <paramref name="n"/>, in order; empty when the field is omitted.</summary>
    public static async Task<List<(string By, string Emoji)>> ReactionsInHistoryAsync(this RawClient client, string conv, long n)
    {
        var history = await client.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
        var message = history.Get("messages").EnumerateArray().Single(m => m.GetProperty("n").GetInt64() == n);
        if (!message.TryGetProperty("reactions", out var reactions)) return [];
        Assert.Equal(JsonValueKind.Array, reactions.ValueKind);
        return [.. reactions.EnumerateArray().Select(r => (r.GetProperty("by").GetString()!, r.GetProperty("emoji").GetString()!))];
    }
}

using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Replies;

/// <summary>The v1.1 <c>send</c> with <c>replyTo</c>, written by hand.</summary>
public static class ReplyWire
{
    /// <summary>A send into <paramref name="conv"/> replying to message <paramref name="replyTo"/>; the reply (ok or error).</summary>
    public static Task<Frame> ReplyAsync(this RawClient client, string conv, long replyTo, string body = "\"re\"", string? cid = null) =>
        client.RequestAsync(new JsonObject
        {
            ["type"] = "send", ["cid"] = cid ?? RawClient.NewCid(), ["conv"] = conv, ["body"] = JsonNode.Parse(body), ["replyTo"] = replyTo,
        });

    /// <summary>The ok reply of <c>history</c> of <paramref name="conv"/>.</summary>
    public static Task<Frame> HistoryAsync(this RawClient client, string conv) =>
        client.OkAsync(new JsonObject { ["type"] = "history", ["conv"] = conv });
}

using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;

namespace Parley.Conformance.Tests.Invites;

/// <summary>The v1.1 invite-link requests, written by hand.</summary>
public static class InviteWire
{
    public static Task<Frame> InviteAsync(this RawClient client, string conv) =>
        client.RequestAsync(new JsonObject { ["type"] = "group.invite", ["conv"] = conv });

    public static Task<Frame> RevokeInviteAsync(this RawClient client, string conv) =>
        client.RequestAsync(new JsonObject { ["type"] = "group.revokeInvite", ["conv"] = conv });

    public static Task<Frame> JoinAsync(this RawClient client, string code) =>
        client.RequestAsync(new JsonObject { ["type"] = "group.join", ["code"] = code });

    /// <summary>The code of an ok <c>group.invite</c> reply.</summary>
    public static async Task<string> CodeAsync(this RawClient client, string conv)
    {
        var reply = await client.InviteAsync(conv);
        Assert.True(reply.IsOk, reply.Raw);
        return reply.Str("code")!;
    }

    public static List<string> Names(Frame frame, string field) => [.. frame.Get(field).EnumerateArray().Select(e => e.GetString()!)];
}

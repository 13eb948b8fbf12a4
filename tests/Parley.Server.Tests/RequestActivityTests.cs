using Parley.Protocol;
using Parley.Protocol.Requests;
using Parley.Server.Gateway.Presence;

namespace Parley.Server.Tests;

/// <summary>The classification of requests for last seen: one table, complete, and as docs/protocol.md states it.</summary>
public sealed class RequestActivityTests
{
    // Every request type a client sends; server-only frame types are not requests.
    private static readonly string[] ServerOnly =
        [FrameTypes.Welcome, FrameTypes.Ok, FrameTypes.Error, FrameTypes.Message, FrameTypes.Receipt, FrameTypes.Group,
         FrameTypes.Settings, FrameTypes.Failed, FrameTypes.Deleted, FrameTypes.Presence, FrameTypes.Reaction, FrameTypes.Edited];

    [Fact]
    public void Every_request_type_is_classified()
    {
        var requests = typeof(FrameTypes).GetFields().Select(f => (string)f.GetRawConstantValue()!).Except(ServerOnly);
        var missing = requests.Except(RequestActivity.Table.Keys).ToList();
        Assert.True(missing.Count == 0, "not classified: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_table_is_the_documented_one()
    {
        string[] user = ["send", "read", "typing", "history", "delete", "group.create", "group.add", "group.remove", "group.leave",
            "group.rename", "group.admin", "group.info", "retention", "react", "edit", "block", "unblock",
            "group.invite", "group.revokeInvite", "group.join", "group.describe"];
        string[] system = ["hello", "ack", "ping", "convs", "receipts", "presence.subscribe", "privacy", "blocked"];
        Assert.Equal(user.Order(), RequestActivity.Table.Where(e => e.Value == Activity.User).Select(e => e.Key).Order());
        Assert.Equal(system.Order(), RequestActivity.Table.Where(e => e.Value == Activity.System).Select(e => e.Key).Order());
        Assert.Equal(Activity.UserWhenActive, RequestActivity.Table[FrameTypes.PresenceSet]);
    }

    [Fact]
    public void Presence_set_is_a_user_action_only_when_active()
    {
        Assert.True(RequestActivity.IsUserAction(new PresenceSetRequest(null, PresenceStates.Active)));
        Assert.False(RequestActivity.IsUserAction(new PresenceSetRequest(null, PresenceStates.Away)));
        Assert.True(RequestActivity.IsUserAction(new ReadRequest(null, "d:a_1:b_1", 1)));
        Assert.False(RequestActivity.IsUserAction(new AckRequest(null, 1)));
        Assert.False(RequestActivity.IsUserAction(new PingRequest(null)));
    }
}

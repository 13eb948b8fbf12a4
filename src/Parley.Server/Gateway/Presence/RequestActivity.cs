using System.Collections.Frozen;
using Parley.Protocol;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Presence;

/// <summary>What a request says about its user being there.</summary>
internal enum Activity
{
    /// <summary>The client's own housekeeping (it may run with nobody looking): last seen does not move.</summary>
    System,

    /// <summary>Something the user did: last seen moves (unless on a background connection).</summary>
    User,

    /// <summary>A user action only in one form: <c>presence.set</c> with <c>active</c> (going away is not an action).</summary>
    UserWhenActive,
}

/// <summary>
/// The one table that classifies every request for last seen. docs/protocol.md mirrors it, and a test fails
/// when a request type is missing from it.
/// </summary>
internal static class RequestActivity
{
    public static readonly FrozenDictionary<string, Activity> Table = new Dictionary<string, Activity>(StringComparer.Ordinal)
    {
        [FrameTypes.Send] = Activity.User,
        [FrameTypes.Read] = Activity.User,
        [FrameTypes.Typing] = Activity.User,
        [FrameTypes.History] = Activity.User,
        [FrameTypes.Delete] = Activity.User,
        [FrameTypes.GroupCreate] = Activity.User,
        [FrameTypes.GroupAdd] = Activity.User,
        [FrameTypes.GroupRemove] = Activity.User,
        [FrameTypes.GroupLeave] = Activity.User,
        [FrameTypes.GroupRename] = Activity.User,
        [FrameTypes.GroupAdmin] = Activity.User,
        [FrameTypes.GroupInfo] = Activity.User,
        // Like the group requests: an admin changing a conversation by hand.
        [FrameTypes.Retention] = Activity.User,
        [FrameTypes.PresenceSet] = Activity.UserWhenActive,
        // v1.1
        [FrameTypes.React] = Activity.User,
        [FrameTypes.Edit] = Activity.User,
        [FrameTypes.Block] = Activity.User,
        [FrameTypes.Unblock] = Activity.User,
        [FrameTypes.GroupInvite] = Activity.User,
        [FrameTypes.GroupRevokeInvite] = Activity.User,
        [FrameTypes.GroupJoin] = Activity.User,
        // issue 20: like group.rename.
        [FrameTypes.GroupDescribe] = Activity.User,
        [FrameTypes.Hello] = Activity.System,
        [FrameTypes.Ack] = Activity.System,
        [FrameTypes.Ping] = Activity.System,
        [FrameTypes.Convs] = Activity.System,
        [FrameTypes.Receipts] = Activity.System,
        [FrameTypes.PresenceSubscribe] = Activity.System,
        // Clients may sync the setting on every start, with nobody looking.
        [FrameTypes.Privacy] = Activity.System,
        // v1.1: reading one's own list.
        [FrameTypes.Blocked] = Activity.System,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="request"/> is the user doing something. Unknown types are system requests.</summary>
    public static bool IsUserAction(ClientRequest request) => Table.GetValueOrDefault(request.Type) switch
    {
        Activity.User => true,
        Activity.UserWhenActive => request is PresenceSetRequest { Away: false },
        _ => false,
    };
}

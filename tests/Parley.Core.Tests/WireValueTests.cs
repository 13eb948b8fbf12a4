using System.Reflection;
using Parley.Protocol;

namespace Parley.Core.Tests;

/// <summary>Wire values are append-only: these snapshots fail if anyone renames or renumbers one.</summary>
public class WireValueTests
{
    private static string Snapshot(Type type) => string.Join(",",
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => $"{f.Name}={f.GetRawConstantValue()}"));

    [Fact]
    public void Error_codes_are_pinned() => Assert.Equal(
        "BadRequest=bad_request,Unauthorized=unauthorized,Forbidden=forbidden,NotFound=not_found,Conflict=conflict,TooLarge=too_large," +
        "RateLimited=rate_limited,Overloaded=overloaded,GroupFull=group_full,Internal=internal,UnsupportedType=unsupported_type",
        Snapshot(typeof(ErrorCodes)));

    [Fact]
    public void Close_codes_are_pinned() => Assert.Equal(
        "GoingAway=1001,Policy=1008,FrameTooLarge=1009,Unauthorized=4401,HelloTimeout=4408,NotAcknowledged=4409,TooManyConnections=4429",
        Snapshot(typeof(CloseCodes)));

    [Fact]
    public void Frame_types_are_pinned() => Assert.Equal(
        "Hello=hello,Welcome=welcome,Ok=ok,Error=error,Ack=ack,Send=send,Read=read,History=history,Convs=convs,Receipts=receipts," +
        "Delete=delete,GroupCreate=group.create,GroupAdd=group.add,GroupRemove=group.remove,GroupLeave=group.leave," +
        "GroupRename=group.rename,GroupAdmin=group.admin,GroupInfo=group.info,Retention=retention," +
        "PresenceSubscribe=presence.subscribe,PresenceSet=presence.set,Privacy=privacy,Typing=typing,Ping=ping,Message=message," +
        "Receipt=receipt,Group=group,Settings=settings,Failed=failed,Deleted=deleted,Presence=presence," +
        "React=react,Reaction=reaction,Edit=edit,Edited=edited,Block=block,Unblock=unblock,Blocked=blocked," +
        "GroupInvite=group.invite,GroupRevokeInvite=group.revokeInvite,GroupJoin=group.join,GroupDescribe=group.describe",
        Snapshot(typeof(FrameTypes)));

    [Fact]
    public void Presence_and_typing_values_are_pinned() => Assert.Equal(
        "Active=active,Away=away|Composing=composing,Paused=paused|Everyone=everyone,Contacts=contacts,Nobody=nobody",
        string.Join("|", Snapshot(typeof(PresenceStates)), Snapshot(typeof(TypingStates)), Snapshot(typeof(LastSeenVisibility))));

    [Fact]
    public void Stored_privacy_numbers_are_pinned() => Assert.Equal(
        "Everyone=0,Contacts=1,Nobody=2",
        string.Join(",", Enum.GetValues<Parley.Core.Presence.LastSeenPrivacy>().Select(v => $"{v}={(int)v}")));

    [Fact]
    public void Stored_inbox_kinds_and_failure_reasons_are_pinned() => Assert.Equal(
        "Message=1,Receipt=2,Group=3,Settings=4,Deleted=5,Failed=6,Reaction=7,Edited=8|Expired=expired,Gone=gone",
        string.Join(",", Enum.GetValues<Parley.Core.Inbox.InboxEntryKind>().Select(v => $"{v}={(int)v}")) + "|" +
        Snapshot(typeof(Parley.Protocol.Client.FailureReasons)));
}

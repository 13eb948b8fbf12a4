namespace Parley.Protocol;

/// <summary>The <c>type</c> discriminators of every frame. Append-only.</summary>
public static class FrameTypes
{
#pragma warning disable CS1591 // the names are the protocol's own words
    public const string Hello = "hello";
    public const string Welcome = "welcome";
    public const string Ok = "ok";
    public const string Error = "error";
    public const string Ack = "ack";
    public const string Send = "send";
    public const string Read = "read";
    public const string History = "history";
    public const string Convs = "convs";
    public const string Receipts = "receipts";
    public const string Delete = "delete";
    public const string GroupCreate = "group.create";
    public const string GroupAdd = "group.add";
    public const string GroupRemove = "group.remove";
    public const string GroupLeave = "group.leave";
    public const string GroupRename = "group.rename";
    public const string GroupAdmin = "group.admin";
    public const string GroupInfo = "group.info";
    public const string Retention = "retention";
    public const string PresenceSubscribe = "presence.subscribe";
    public const string PresenceSet = "presence.set";
    public const string Privacy = "privacy";
    public const string Typing = "typing";
    public const string Ping = "ping";
    public const string Message = "message";
    public const string Receipt = "receipt";
    public const string Group = "group";
    public const string Settings = "settings";
    public const string Failed = "failed";
    public const string Deleted = "deleted";
    public const string Presence = "presence";
    // v1.1
    public const string React = "react";
    public const string Reaction = "reaction";
    public const string Edit = "edit";
    public const string Edited = "edited";
    public const string Block = "block";
    public const string Unblock = "unblock";
    public const string Blocked = "blocked";
    public const string GroupInvite = "group.invite";
    public const string GroupRevokeInvite = "group.revokeInvite";
    public const string GroupJoin = "group.join";
    // issue 20: group descriptions
    public const string GroupDescribe = "group.describe";
#pragma warning restore CS1591
}

namespace Parley.Protocol.Requests;

// The closed set of frames a client sends, kept in one file so the union reads as one table.
// Each record holds exactly the fields its type uses, already validated for type and shape.

/// <summary>A frame sent by a client. <see cref="Rid"/> is echoed in the one reply when present.</summary>
/// <param name="Rid">The request id, at most 64 characters, or null.</param>
public abstract record ClientRequest(string? Rid)
{
    /// <summary>The frame's <c>type</c>.</summary>
    public abstract string Type { get; }
}

/// <summary><c>hello</c>: the first frame of every connection.</summary>
/// <param name="Rid">Ignored for hello; <c>welcome</c> is the answer.</param>
/// <param name="Token">The bearer token from <c>POST /v1/sessions</c>.</param>
/// <param name="After">The last inbox seq this device processed; null means the server's stored cursor.</param>
/// <param name="Background">A background sync connection: receives everything, does not count as online.</param>
public sealed record HelloRequest(string? Rid, string Token, long? After, bool Background) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Hello;
}

/// <summary><c>ack</c>: this device has processed every inbox event up to <paramref name="Seq"/>.</summary>
/// <param name="Rid">Usually absent; when present the server replies <c>ok</c>.</param>
/// <param name="Seq">The cumulative acknowledgement.</param>
public sealed record AckRequest(string? Rid, long Seq) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Ack;
}

/// <summary><c>send</c>: store a message and deliver it.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Cid">The client's id for the message, unique per sender.</param>
/// <param name="To">A username (direct message), or null when <paramref name="Conv"/> is given.</param>
/// <param name="Conv">A conversation id, or null when <paramref name="To"/> is given.</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's JSON text exactly as the client sent it (a string or an object).</param>
/// <param name="MediaId">The id of an uploaded media, or null.</param>
/// <param name="Ttl">A per-message time to live in seconds, or null.</param>
/// <param name="ReplyTo">The n of the message this one replies to (v1.1), or null.</param>
public sealed record SendRequest(
    string? Rid, string Cid, string? To, string? Conv, string Kind, ReadOnlyMemory<byte> Body, string? MediaId, long? Ttl, long? ReplyTo = null)
    : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Send;
}

/// <summary><c>read</c>: move the read marker of <paramref name="Conv"/> forward to <paramref name="UpTo"/>.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="UpTo">A message position n.</param>
public sealed record ReadRequest(string? Rid, string Conv, long UpTo) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Read;
}

/// <summary><c>history</c>: the newest <paramref name="Limit"/> messages before <paramref name="Before"/>.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="Before">An exclusive upper bound on n, or null for the end.</param>
/// <param name="Limit">How many messages, or null for the default.</param>
public sealed record HistoryRequest(string? Rid, string Conv, long? Before, long? Limit) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.History;
}

/// <summary><c>convs</c>: the caller's conversations.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="IncludeLeft">Also the groups the caller has left or was removed from (an addition: <c>left: true</c>).</param>
public sealed record ConvsRequest(string? Rid, bool IncludeLeft = false) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Convs;
}

/// <summary><c>ping</c>: answered with the server time.</summary>
/// <param name="Rid">The request id.</param>
public sealed record PingRequest(string? Rid) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Ping;
}

/// <summary><c>receipts</c>: who of the group has received and read message <paramref name="N"/>.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="N">The message position.</param>
public sealed record ReceiptsRequest(string? Rid, string Conv, long N) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Receipts;
}

/// <summary><c>group.create</c>: a new group of the caller (its first admin) and <paramref name="Members"/>.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Name">The group's name.</param>
/// <param name="Members">The other members' usernames.</param>
public sealed record GroupCreateRequest(string? Rid, string Name, IReadOnlyList<string> Members) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupCreate;
}

/// <summary><c>group.add</c>: an admin adds members.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
/// <param name="Members">The usernames to add.</param>
public sealed record GroupAddRequest(string? Rid, string Conv, IReadOnlyList<string> Members) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupAdd;
}

/// <summary><c>group.remove</c>: an admin removes a member.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
/// <param name="Member">The username to remove.</param>
public sealed record GroupRemoveRequest(string? Rid, string Conv, string Member) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupRemove;
}

/// <summary><c>group.leave</c>: the caller leaves.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
public sealed record GroupLeaveRequest(string? Rid, string Conv) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupLeave;
}

/// <summary><c>group.rename</c>: an admin renames the group.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
/// <param name="Name">The new name.</param>
public sealed record GroupRenameRequest(string? Rid, string Conv, string Name) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupRename;
}

/// <summary><c>group.describe</c>: an admin sets the group's description (<c>""</c> clears it).</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
/// <param name="Description">The new description, as sent (the server trims it and checks its length).</param>
public sealed record GroupDescribeRequest(string? Rid, string Conv, string Description) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupDescribe;
}

/// <summary><c>group.admin</c>: an admin grants or revokes admin rights.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
/// <param name="Member">The member concerned.</param>
/// <param name="Admin">True to grant, false to revoke.</param>
public sealed record GroupAdminRequest(string? Rid, string Conv, string Member, bool Admin) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupAdmin;
}

/// <summary><c>group.info</c>: name, description, members, admins, retention.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
public sealed record GroupInfoRequest(string? Rid, string Conv) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupInfo;
}

/// <summary><c>retention</c>: a conversation's messages disappear <paramref name="Ttl"/> seconds after they are sent, or never (null).</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="Ttl">Seconds (at least 1), or null for permanent.</param>
public sealed record RetentionRequest(string? Rid, string Conv, long? Ttl) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Retention;
}

/// <summary><c>delete</c>: delete message <paramref name="N"/> for everyone.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="N">The message position.</param>
public sealed record DeleteRequest(string? Rid, string Conv, long N) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Delete;
}

/// <summary><c>presence.subscribe</c>: presence pushes for <paramref name="Users"/> for the rest of the connection.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Users">The usernames to follow.</param>
public sealed record PresenceSubscribeRequest(string? Rid, IReadOnlyList<string> Users) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.PresenceSubscribe;
}

/// <summary><c>presence.set</c>: whether this socket's app is in use (<c>active</c>) or in the background (<c>away</c>).</summary>
/// <param name="Rid">The request id.</param>
/// <param name="State">One of <see cref="PresenceStates"/>.</param>
public sealed record PresenceSetRequest(string? Rid, string State) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.PresenceSet;

    /// <summary>True for <c>away</c>.</summary>
    public bool Away => State == PresenceStates.Away;
}

/// <summary><c>privacy</c>: who sees the caller's online state and last seen.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="LastSeen">One of <see cref="LastSeenVisibility"/>.</param>
public sealed record PrivacyRequest(string? Rid, string LastSeen) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Privacy;
}

/// <summary><c>typing</c>: the caller is composing in, or paused from, <paramref name="Conv"/>.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="State">One of <see cref="TypingStates"/>.</param>
public sealed record TypingRequest(string? Rid, string Conv, string State) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Typing;

    /// <summary>True for <c>composing</c>.</summary>
    public bool Composing => State == TypingStates.Composing;
}

/// <summary><c>react</c> (v1.1): set, replace or (with a null <paramref name="Emoji"/>) take back the caller's reaction to a message.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="N">The message position.</param>
/// <param name="Emoji">1 to 32 UTF-8 bytes (not checked to be an emoji), or null to take the reaction back.</param>
public sealed record ReactRequest(string? Rid, string Conv, long N, string? Emoji) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.React;
}

/// <summary><c>edit</c> (v1.1): the sender replaces a message's body within the edit window.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The conversation.</param>
/// <param name="N">The message position.</param>
/// <param name="Body">The new body's JSON text exactly as the client sent it (a string or an object).</param>
public sealed record EditRequest(string? Rid, string Conv, long N, ReadOnlyMemory<byte> Body) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Edit;
}

/// <summary><c>block</c> (v1.1): the caller stops receiving what <paramref name="User"/> sends them directly.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="User">Who is blocked.</param>
public sealed record BlockRequest(string? Rid, string User) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Block;
}

/// <summary><c>unblock</c> (v1.1): ends the caller's block of <paramref name="User"/> (what was hidden stays hidden).</summary>
/// <param name="Rid">The request id.</param>
/// <param name="User">Who is unblocked.</param>
public sealed record UnblockRequest(string? Rid, string User) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Unblock;
}

/// <summary><c>blocked</c> (v1.1): the users the caller blocks.</summary>
/// <param name="Rid">The request id.</param>
public sealed record BlockedRequest(string? Rid) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Blocked;
}

/// <summary><c>group.invite</c> (v1.1, admins only): the group's live invite code, made when it has none.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
public sealed record GroupInviteRequest(string? Rid, string Conv) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupInvite;
}

/// <summary><c>group.revokeInvite</c> (v1.1, admins only): the group's code stops working.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Conv">The group.</param>
public sealed record GroupRevokeInviteRequest(string? Rid, string Conv) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupRevokeInvite;
}

/// <summary><c>group.join</c> (v1.1): become a member of the group whose live invite code this is.</summary>
/// <param name="Rid">The request id.</param>
/// <param name="Code">The invite code.</param>
public sealed record GroupJoinRequest(string? Rid, string Code) : ClientRequest(Rid)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.GroupJoin;
}

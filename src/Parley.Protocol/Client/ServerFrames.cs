namespace Parley.Protocol.Client;

// The closed set of frames a server sends, as a client reads them, kept in one file so the union
// reads as one table. OkFrame lives in its own file because it carries the typed result readers.

/// <summary>A frame sent by the server, read by <see cref="ServerFrameReader"/>.</summary>
public abstract record ServerFrame
{
    /// <summary>The frame's <c>type</c>.</summary>
    public abstract string Type { get; }

    /// <summary>
    /// The inbox <c>seq</c> when the frame is an inbox event (one the client must acknowledge),
    /// including an inbox event of a type this library does not know; otherwise null.
    /// </summary>
    public virtual long? InboxSeq => null;
}

/// <summary>The server's limits, announced in <c>welcome</c>.</summary>
/// <param name="MaxFrameBytes">The largest frame the server accepts; larger ones close the socket with 1009.</param>
/// <param name="MaxBodyBytes">The largest message body, as the UTF-8 length of its JSON text.</param>
/// <param name="MaxGroupMembers">The most members a group may have.</param>
/// <param name="EditWindowSeconds">
/// How long after a message was accepted its sender may edit it, in whole seconds (v1.1, <c>editWindowSeconds</c>); null
/// when the server does not say (then the protocol's default, 15 minutes, applies).
/// </param>
public sealed record ServerLimits(int MaxFrameBytes, int MaxBodyBytes, int MaxGroupMembers, long? EditWindowSeconds = null)
{
    /// <summary>The longest group description the server accepts, in UTF-16 code units after trimming (0 when the server does not say).</summary>
    public int MaxGroupDescriptionChars { get; init; }
}

/// <summary><c>welcome</c>: the answer to <c>hello</c>.</summary>
/// <param name="User">The authenticated username.</param>
/// <param name="Device">The device id of the session's token.</param>
/// <param name="Head">The newest seq of the user's inbox.</param>
/// <param name="ServerTime">The server's clock (Unix ms).</param>
/// <param name="Limits">The server's limits.</param>
public sealed record WelcomeFrame(string User, string Device, long Head, long ServerTime, ServerLimits Limits) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Welcome;
}

/// <summary><c>error</c>: the failed reply to the request with <paramref name="Rid"/>, or a complaint about a malformed frame.</summary>
/// <param name="Rid">The request id, or null when the server could not read one.</param>
/// <param name="Code">An <see cref="ErrorCodes"/> value.</param>
/// <param name="Message">A human-readable explanation.</param>
/// <param name="RetryAfterMs">For <c>rate_limited</c> and <c>overloaded</c>: when to try again.</param>
public sealed record ErrorFrame(string? Rid, string Code, string Message, long? RetryAfterMs) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Error;
}

/// <summary>An event of the user's inbox: numbered by <paramref name="Seq"/>, replayed until acknowledged.</summary>
/// <param name="Seq">The event's position in the user's inbox (strictly increasing).</param>
/// <param name="Conv">The conversation the event is about.</param>
public abstract record InboxEvent(long Seq, string Conv) : ServerFrame
{
    /// <inheritdoc />
    public override long? InboxSeq => Seq;
}

/// <summary>The media attached to a message.</summary>
/// <param name="Id">The media id, for <c>GET /v1/media/{id}</c>.</param>
/// <param name="Mime">The stored content type.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Width">The width in pixels, for images and videos when known.</param>
/// <param name="Height">The height in pixels, for images and videos when known.</param>
/// <param name="DurationMs">The duration of a video when known.</param>
/// <param name="Thumbnail">Whether <c>/thumbnail</c> has an image.</param>
public sealed record MediaInfo(string Id, string Mime, long Size, int? Width, int? Height, long? DurationMs, bool Thumbnail);

/// <summary><c>message</c>: a message in one of the user's conversations (the user's own from other devices included).</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Id">The globally unique message id.</param>
/// <param name="N">The position in the conversation.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="From">The sender's username.</param>
/// <param name="Cid">The sender's client id for the message.</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's JSON text, exactly as the sender wrote it (a JSON string or object).</param>
/// <param name="Media">The attached media, or null.</param>
/// <param name="Ts">When the server accepted it (Unix ms).</param>
/// <param name="ExpiresAt">When it disappears (Unix ms), or null for permanent.</param>
/// <param name="ReplyTo">v1.1: the n of the message (same conversation) this one replies to, or null. The server does not
/// copy the quoted message: show it from your own copy, or ask <c>history</c> for it.</param>
/// <param name="EditedAt">v1.1: when the body was last edited (Unix ms), or null; a message replayed after an edit carries
/// the latest body.</param>
public sealed record MessageEvent(
    long Seq, string Id, long N, string Conv, string From, string Cid, string Kind, string Body, MediaInfo? Media, long Ts, long? ExpiresAt,
    long? ReplyTo = null, long? EditedAt = null)
    : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Message;

    /// <summary>The text to show (a media message's caption): <see cref="Body"/> read by <see cref="BodyJson.TextOf"/>, or null when the body holds none.</summary>
    public string? Text => BodyJson.TextOf(Body);
}

/// <summary><c>receipt</c>: messages the user sent up to <paramref name="UpTo"/> were delivered to or read by <paramref name="By"/>.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="By">The other user of a direct conversation, or <c>*</c> for every other member of a group.</param>
/// <param name="Status"><c>delivered</c> or <c>read</c> (see <see cref="ReceiptStatuses"/>).</param>
/// <param name="UpTo">The message position n up to which the status holds.</param>
public sealed record ReceiptEvent(long Seq, string Conv, string By, string Status, long UpTo) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Receipt;
}

/// <summary><c>group</c>: a change of a group's membership, name, description or admins.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The group's conversation id.</param>
/// <param name="Event">created, added, removed, left, renamed, described, admin or (v1.1) joined (see <see cref="GroupEventKinds"/>).</param>
/// <param name="By">Who made the change (for joined: the joiner).</param>
/// <param name="Members">For created, added and removed: the members concerned.</param>
/// <param name="Name">For created and renamed: the name.</param>
/// <param name="Member">For left, admin and joined: the member concerned.</param>
/// <param name="Admin">For admin: true when granted, false when revoked.</param>
public sealed record GroupEvent(
    long Seq, string Conv, string Event, string By, IReadOnlyList<string>? Members, string? Name, string? Member, bool? Admin)
    : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Group;

    /// <summary>For described: the group's new description, <c>""</c> when it was cleared; otherwise null.</summary>
    public string? Description { get; init; }
}

/// <summary><c>settings</c>: the conversation's retention changed.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="Retention">The time to live of new messages in seconds, or null for permanent.</param>
public sealed record SettingsEvent(long Seq, string Conv, long? Retention) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Settings;
}

/// <summary><c>failed</c>: a message the user sent will never reach <paramref name="To"/>.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="Cid">The client id the message was sent with.</param>
/// <param name="Id">The message id.</param>
/// <param name="To">The recipient it did not reach.</param>
/// <param name="Reason"><c>expired</c> or <c>gone</c> (see <see cref="FailureReasons"/>).</param>
public sealed record FailedEvent(long Seq, string Conv, string Cid, string Id, string To, string Reason) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Failed;
}

/// <summary><c>deleted</c>: message <paramref name="N"/> of <paramref name="Conv"/> was deleted for everyone.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="N">The deleted message's position.</param>
public sealed record DeletedEvent(long Seq, string Conv, long N) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Deleted;
}

/// <summary><c>reaction</c> (v1.1): <paramref name="By"/> reacted to message <paramref name="N"/>, or took the reaction back.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="N">The message's position.</param>
/// <param name="By">Who reacted (the user's own reactions, from any device, included).</param>
/// <param name="Emoji">The reaction, which replaces any earlier one of <paramref name="By"/> on that message; null when taken back.</param>
public sealed record ReactionEvent(long Seq, string Conv, long N, string By, string? Emoji) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Reaction;
}

/// <summary><c>edited</c> (v1.1): message <paramref name="N"/> has a new body; it keeps its n, id, ts and expiry.</summary>
/// <param name="Seq">The inbox seq.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="N">The edited message's position.</param>
/// <param name="Body">The new body's JSON text, exactly as the sender wrote it.</param>
/// <param name="EditedAt">When the server accepted the edit (Unix ms).</param>
public sealed record EditedEvent(long Seq, string Conv, long N, string Body, long EditedAt) : InboxEvent(Seq, Conv)
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Edited;

    /// <summary>The new text to show: <see cref="Body"/> read by <see cref="BodyJson.TextOf"/>, or null when the body holds none.</summary>
    public string? Text => BodyJson.TextOf(Body);
}

/// <summary><c>presence</c>: a subscribed user went online or offline. Not an inbox event: never replayed.</summary>
/// <param name="User">The username.</param>
/// <param name="Online">Whether the user is online now.</param>
/// <param name="LastSeen">The user's last seen (Unix ms), or null when never seen or hidden.</param>
public sealed record PresenceEvent(string User, bool Online, long? LastSeen) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Presence;
}

/// <summary><c>typing</c>: a member of a conversation is composing or paused. Not an inbox event: never replayed.</summary>
/// <param name="Conv">The conversation id.</param>
/// <param name="User">Who is typing.</param>
/// <param name="State"><c>composing</c> or <c>paused</c> (see <see cref="TypingStates"/>).</param>
public sealed record TypingEvent(string Conv, string User, string State) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameTypes.Typing;
}

/// <summary>A frame of a type this library does not know, kept whole for forward compatibility.</summary>
/// <param name="FrameType">The frame's <c>type</c>.</param>
/// <param name="Seq">Its <c>seq</c> when it has one: then it is an inbox event and is acknowledged like any other.</param>
/// <param name="Utf8">The whole frame's JSON text.</param>
public sealed record UnknownFrame(string FrameType, long? Seq, ReadOnlyMemory<byte> Utf8) : ServerFrame
{
    /// <inheritdoc />
    public override string Type => FrameType;

    /// <inheritdoc />
    public override long? InboxSeq => Seq;
}

namespace Parley.Protocol.Client;

// The result fields of the ok replies, one record per request that has some, kept in one file
// so that they read as the protocol's request table does. Read them with OkFrame's accessors.

/// <summary>The <c>ok</c> reply to <c>send</c>: the message is stored (the single tick).</summary>
/// <param name="Id">The message id.</param>
/// <param name="N">Its position in the conversation.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="Seq">The message's seq in the sender's own inbox.</param>
/// <param name="Ts">When the server accepted it (Unix ms).</param>
/// <param name="ExpiresAt">When it disappears (Unix ms), or null.</param>
/// <param name="Duplicate">True when the cid had been used before: this is the first reply again and nothing new was stored.</param>
/// <param name="ReplyTo">v1.1: the n of the message this one replies to, or null.</param>
public sealed record SendResult(string Id, long N, string Conv, long Seq, long Ts, long? ExpiresAt, bool Duplicate, long? ReplyTo = null);

/// <summary>A message in a <c>history</c> reply.</summary>
/// <param name="Id">The message id.</param>
/// <param name="N">Its position in the conversation.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="From">The sender.</param>
/// <param name="Cid">The sender's client id for it.</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's exact JSON text (<c>null</c> when the server holds none, e.g. after a delete).</param>
/// <param name="Media">The attached media, or null.</param>
/// <param name="Ts">When the server accepted it (Unix ms).</param>
/// <param name="ExpiresAt">When it disappears (Unix ms), or null.</param>
/// <param name="ReplyTo">v1.1: the n of the message this one replies to, or null (the quoted message is not copied: it is
/// in this history, or one page further back).</param>
/// <param name="EditedAt">v1.1: when the body was last edited (Unix ms), or null; <paramref name="Body"/> is the latest.</param>
public sealed record HistoryMessage(
    string Id, long N, string Conv, string From, string Cid, string Kind, string Body, MediaInfo? Media, long Ts, long? ExpiresAt,
    long? ReplyTo = null, long? EditedAt = null)
{
    /// <summary>v1.1: the reactions, one per user, in the order they were first made; empty when none.</summary>
    public IReadOnlyList<MessageReaction> Reactions { get; init; } = [];

    /// <summary>The text to show (a media message's caption): <see cref="Body"/> read by <see cref="BodyJson.TextOf"/>, or null when the body holds none.</summary>
    public string? Text => BodyJson.TextOf(Body);
}

/// <summary>A reaction to a message, as <c>history</c> lists it (v1.1).</summary>
/// <param name="By">Who reacted.</param>
/// <param name="Emoji">The reaction (a string of at most 32 UTF-8 bytes; the server does not check that it is an emoji).</param>
public sealed record MessageReaction(string By, string Emoji);

/// <summary>A row of the <c>convs</c> reply.</summary>
/// <param name="Conv">The conversation id.</param>
/// <param name="Kind"><c>direct</c> or <c>group</c>.</param>
/// <param name="Name">The group's name, or null.</param>
/// <param name="LastN">The position of the newest message.</param>
/// <param name="ReadUpTo">The caller's read marker.</param>
/// <param name="Unread">Others' messages after <paramref name="ReadUpTo"/>.</param>
/// <param name="Retention">The time to live in seconds, or null for permanent.</param>
/// <param name="Members">The members, when the server lists them.</param>
/// <param name="PeerDelivered">Up to which n the other member (direct) or every other member (group) has received the
/// conversation's messages: the caller's own messages up to it show as delivered.</param>
/// <param name="PeerRead">Up to which n they have read them: the caller's own messages up to it show as read.</param>
/// <param name="Left">A group the caller has left or was removed from (listed only when asked for with <c>left: true</c>).</param>
public sealed record ConversationInfo(
    string Conv, string Kind, string? Name, long LastN, long ReadUpTo, long Unread, long? Retention, IReadOnlyList<string>? Members,
    long PeerDelivered = 0, long PeerRead = 0, bool Left = false)
{
    /// <summary>A group's description, shown under its name (<c>""</c> when it has none); null for a direct conversation.</summary>
    public string? Description { get; init; }
}

/// <summary>The <c>ok</c> reply to <c>receipts</c>: who of the members other than the sender has received and read a message.</summary>
/// <param name="Delivered">Members a device of whom acknowledged the message.</param>
/// <param name="Read">Members who read it.</param>
public sealed record MessageReceipts(IReadOnlyList<string> Delivered, IReadOnlyList<string> Read);

/// <summary>The <c>ok</c> reply to <c>group.create</c>.</summary>
/// <param name="Conv">The new group's conversation id.</param>
/// <param name="Members">Its members, the creator included.</param>
/// <param name="Admins">Its admins (the creator).</param>
public sealed record GroupCreated(string Conv, IReadOnlyList<string> Members, IReadOnlyList<string> Admins);

/// <summary>The <c>ok</c> reply to <c>group.join</c> (v1.1): the group joined, as <c>group.create</c> describes one.</summary>
/// <param name="Conv">The group's conversation id.</param>
/// <param name="Members">Its members, the joiner included.</param>
/// <param name="Admins">Its admins.</param>
public sealed record GroupJoined(string Conv, IReadOnlyList<string> Members, IReadOnlyList<string> Admins);

/// <summary>The <c>ok</c> reply to <c>group.info</c>.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="Members">Its members.</param>
/// <param name="Admins">Its admins.</param>
/// <param name="Retention">The time to live in seconds, or null for permanent.</param>
public sealed record GroupInfo(string Name, IReadOnlyList<string> Members, IReadOnlyList<string> Admins, long? Retention)
{
    private readonly string _description = "";

    /// <summary>What the group is about, shown under its name; <c>""</c> when it has none (or the server does not say).</summary>
    public string Description
    {
        get => _description;
        // The source-generated reader sets every init-only property, null when the field is absent (an older server).
        init => _description = value ?? "";
    }
}

/// <summary>A user's presence as <c>presence.subscribe</c> reports it.</summary>
/// <param name="User">The username.</param>
/// <param name="Online">Whether the user is online (false when hidden).</param>
/// <param name="LastSeen">Last seen (Unix ms), or null when never seen or hidden.</param>
public sealed record PresenceStatus(string User, bool Online, long? LastSeen);

using Parley.Core.Media;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>
/// One batch of hot writes, in three phases.
/// <list type="number">
/// <item><b>Declare and prefetch</b>: every write names the rows it needs (<see cref="HotWriteOp.Declare"/>), and the
/// session reads them all at once (PostgreSQL: one round trip of set-based statements over arrays). It reads the
/// conversations that take an <c>n</c> and what depends on them (group members, earlier messages with the same cid), then
/// locks the media that sends carry and the delivered watermarks of the users whose markers move (acks and reads), in key
/// order. On SQLite (one writer) the conversations' <c>last_n</c> is read as it is; on PostgreSQL the conversations are
/// read without a lock and their <c>n</c> are counted from 0 (<see cref="ConversationRow.NumberedAtFlush"/>).</item>
/// <item><b>Apply</b>: the writes run in memory, in queue order, against what was read: two sends to one conversation
/// take n and n+1 from memory; every inbox row is appended with its place among its user's rows of the batch.</item>
/// <item><b>Flush</b>: one round trip writes everything: on PostgreSQL first the numbered conversations, locked in key
/// order (created when new); marker rows, devices (those the acks move and those that single statements riding along
/// create or revoke, <see cref="StatementOp{T}"/>) and watermarks; then the inbox heads, locked in username order; then
/// the conversations' <c>last_n</c> and the heads are moved once each, the message and inbox rows taking their n and
/// seqs from the moved values in the same statement; then the statements that change users rows (last seen), then
/// those that add contacts; and the commit. A conversation whose members or retention changed since the prefetch, or
/// one of whose direct sends' senders was blocked or unblocked by its recipient since (<see cref="BlockChecks"/>), is
/// not moved, which fails the batch as stale and it is retried: every change to them locks the conversation row first
/// (a block too, <c>BlockOrder</c>).</item>
/// </list>
/// Every writer therefore takes row locks in one global order (media, watermarks, conversations, members, devices, inbox
/// heads, users, contacts): two writers may wait for each other but cannot deadlock, and a conversation and a user's
/// head are held only from the flush to the commit. A rare write that locks a watermark and a conversation (deleting an account) locks
/// the watermark first.
/// </summary>
internal sealed class HotBatch
{
    public HotBatch(IReadOnlyList<HotWriteOp> ops)
    {
        Ops = ops;
        foreach (var op in ops) op.Declare(this);
    }

    public IReadOnlyList<HotWriteOp> Ops { get; }

    // What the writes need read (declared).

    /// <summary>
    /// Direct conversations that take an n, each with the participant whose account must be live to create it and the
    /// time of the first message to it in the batch (the conversation's creation time if this creates it).
    /// </summary>
    public Dictionary<string, (string Recipient, long Ts)> DirectConversations { get; } = new(StringComparer.Ordinal);

    /// <summary>Group conversations that take an n: their members are read with them.</summary>
    public HashSet<string> GroupConversations { get; } = new(StringComparer.Ordinal);

    /// <summary>(sender, cid) of every send: an earlier message with the same pair makes it a duplicate.</summary>
    public HashSet<(string Sender, string Cid)> SenderCids { get; } = [];

    /// <summary>Users whose accounts must be live (senders and recipients of direct messages).</summary>
    public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Users who ack, with the highest seq they ack in this batch.</summary>
    public Dictionary<string, long> AckTargets { get; } = new(StringComparer.Ordinal);

    /// <summary>Read markers to move.</summary>
    public HashSet<ReadKey> Reads { get; } = [];

    /// <summary>Media that sends carry, with their senders (who must be allowed to see them) and when they send.</summary>
    public Dictionary<(string MediaId, string User), long> MediaUses { get; } = [];

    /// <summary>
    /// Messages that sends reply to (v1.1): (conversation, n, sender), with the time of the first such send of the batch (a
    /// target expired by then is not found).
    /// </summary>
    public Dictionary<ReplyTarget, long> ReplyTargets { get; } = [];

    /// <summary>
    /// (recipient, sender) of every direct send (v1.1): a block of the sender by the recipient, if there is one, hides the
    /// message from the recipient. Read by the prefetch without a lock; on PostgreSQL the flush re-checks each under the
    /// conversation's lock, which a block or unblock takes too, so a send is ordered against a block on every node.
    /// </summary>
    public HashSet<(string Blocker, string Blocked)> BlockChecks { get; } = [];

    /// <summary>Users whose delivered watermark is locked: every move of a user's markers happens under it.</summary>
    public IEnumerable<string> MarkerUsers => AckTargets.Keys.Concat(Reads.Select(r => r.User)).Distinct(StringComparer.Ordinal);

    /// <summary>Every conversation that takes an n.</summary>
    public IEnumerable<string> NumberedConversations => DirectConversations.Keys.Concat(GroupConversations);

    // What was read (the prefetch).

    public Dictionary<string, ConversationRow> Conversations { get; } = new(StringComparer.Ordinal);

    /// <summary>Each group's members, sorted.</summary>
    public Dictionary<string, List<string>> GroupMembers { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages already stored, by (sender, cid).</summary>
    public Dictionary<(string Sender, string Cid), StoredMessage> Existing { get; } = [];

    /// <summary>Which of <see cref="Accounts"/> are live.</summary>
    public HashSet<string> Live { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Watermark> Watermarks { get; } = new(StringComparer.Ordinal);

    /// <summary>For each acker, the conversations with others' messages in its newly acked range.</summary>
    public Dictionary<string, List<ReachedConversation>> Reached { get; } = new(StringComparer.Ordinal);

    /// <summary>Delivered and read markers, by (conv, user); a missing one is not a member.</summary>
    public Dictionary<(string Conv, string User), Marker> Markers { get; } = [];

    public Dictionary<ReadKey, ReadFacts> ReadFacts { get; } = [];

    /// <summary>For each (media, sender), the media when the sender may use it; null when it may not (or it is gone).</summary>
    public Dictionary<(string MediaId, string User), MediaInfo?> Media { get; } = [];

    /// <summary>Which of <see cref="ReplyTargets"/> exist, neither deleted nor expired, in their sender's history.</summary>
    public HashSet<ReplyTarget> ReplyTargetsFound { get; } = [];

    /// <summary>Which of <see cref="BlockChecks"/> are blocks.</summary>
    public HashSet<(string Blocker, string Blocked)> Blocks { get; } = [];

    // What the writes do (the apply), to be flushed.

    public InboxAppends Inbox { get; } = new();

    public List<PendingMessage> Messages { get; } = [];

    /// <summary>Sends stored in this batch, by (sender, cid): a repeat later in the batch is their duplicate.</summary>
    public Dictionary<(string Sender, string Cid), PendingMessage> StoredInBatch { get; } = [];

    /// <summary>Members of direct conversations that get their first message.</summary>
    public List<(string Conv, string User, long JoinedAt)> NewMembers { get; } = [];

    /// <summary>Device cursors to move, to the highest seq acked.</summary>
    public Dictionary<string, long> DeviceAcks { get; } = new(StringComparer.Ordinal);

    /// <summary>Media used by messages, with when.</summary>
    public Dictionary<string, long> MediaUsed { get; } = new(StringComparer.Ordinal);

    /// <summary>Single statements of <see cref="StatementOp{T}"/>s; on PostgreSQL each runs in its table's place in the flush.</summary>
    public List<BatchStatement> Statements { get; } = [];

    public void AckDevice(string deviceId, long seq)
    {
        if (!DeviceAcks.TryGetValue(deviceId, out var acked) || acked < seq) DeviceAcks[deviceId] = seq;
    }
}

/// <summary>A message that a send replies to: its conversation and n, and the sender who must see it in its history.</summary>
internal readonly record struct ReplyTarget(string Conv, long N, string Sender);

/// <summary>
/// A conversation row as read by the batch; <see cref="LastN"/> and <see cref="LastTs"/> move in memory. With
/// <see cref="NumberedAtFlush"/> (PostgreSQL) the row was read without a lock, <see cref="LastN"/> starts at 0 and counts
/// the batch's messages in it (their n are offsets), and the flush moves the stored <c>last_n</c> by that count under the
/// row's lock and gives the offsets their base (<see cref="NBase"/>), as inbox rows take their seqs from the heads.
/// </summary>
internal sealed class ConversationRow(string conv, bool isGroup, long lastN, long lastTs, long? retentionSeconds, bool exists, bool numberedAtFlush = false)
{
    public string Conv { get; } = conv;

    public bool IsGroup { get; } = isGroup;

    public long LastN { get; set; } = lastN;

    public long LastTs { get; set; } = lastTs;

    public long? RetentionSeconds { get; } = retentionSeconds;

    /// <summary>False for a direct conversation that gets its first row with this batch (SQLite inserts it at the flush).</summary>
    public bool Exists { get; } = exists;

    /// <summary>Whether the batch numbered a message in it.</summary>
    public bool Changed { get; set; }

    /// <summary>Whether the n taken in memory are offsets from a base the flush assigns (see the class).</summary>
    public bool NumberedAtFlush { get; } = numberedAtFlush;

    /// <summary>The stored <c>last_n</c> before the batch's messages, once the flush has moved it (0 otherwise).</summary>
    public long NBase { get; set; }

    /// <summary>With <see cref="NumberedAtFlush"/>, the <c>last_n</c> the prefetch read (without the lock).</summary>
    public long ReadLastN { get; init; }

    /// <summary>
    /// With <see cref="NumberedAtFlush"/>, the base the apply relied on (a reply to a message numbered in the same batch
    /// named it by <see cref="ReadLastN"/> + its offset): the flush refuses any other, and the batch is retried.
    /// </summary>
    public long? RequiredBase { get; set; }
}

/// <summary>A user's delivered watermark (locked) and inbox head (as committed when read).</summary>
internal sealed class Watermark(long delivered, long head)
{
    public long Delivered { get; set; } = delivered;

    public long Head { get; } = head;

    public bool Changed { get; set; }
}

/// <summary>A conversation in an acker's newly acked range: the newest message from someone else in it, and whether that someone is live.</summary>
internal sealed record ReachedConversation(string Conv, long N, bool OtherLive);

/// <summary>A member's delivered and read markers in a conversation.</summary>
internal sealed class Marker(long delivered, long read)
{
    public long Delivered { get; set; } = delivered;

    public long Read { get; set; } = read;

    public bool Changed { get; set; }
}

/// <summary>A read marker to move: <paramref name="Other"/> is the other participant of a direct conversation (null in a group).</summary>
internal sealed record ReadKey(string User, string Conv, string? Other, long UpTo);

/// <summary>
/// What a read needs: the conversation's last n, the newest n of a message from the other participant up to the read's
/// position (a receipt is owed when it lies in the newly covered range), and whether the other participant is live. A
/// message hidden from the reader (v1.1: sent while the reader blocks its sender) does not count as from the other;
/// <paramref name="LastHidden"/> is the newest such n up to the read's position (0: none), which a receipt must not cover.
/// </summary>
internal sealed record ReadFacts(long LastN, long LastFromOther, bool OtherLive, long LastHidden = 0);

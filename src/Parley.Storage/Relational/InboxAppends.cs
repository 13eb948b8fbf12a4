using System.Collections;
using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

/// <summary>
/// The inbox events one transaction appends, before they have seqs. A transaction moves each user's inbox head once,
/// at its end (all heads locked in username order, after every other row it locks), and its rows take the seqs from
/// the old head on: the row's <see cref="PendingInboxRow.Offset"/> is its place among the user's rows of the transaction.
/// So no transaction holds a user's head while its other work runs, and every writer locks heads in the same order.
/// </summary>
internal sealed class InboxAppends
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly List<PendingInboxRow> _rows = [];
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);

    public IReadOnlyList<PendingInboxRow> Rows => _rows;

    /// <summary>How many rows each user gets.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    public bool IsEmpty => _rows.Count == 0;

    public PendingInboxRow Append(string user, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status, string? data = null,
        PendingMessage? message = null)
    {
        if (_dropped.Contains(user)) return new PendingInboxRow(user, 0, kind, conv, n, actor, status, data, message) { Dropped = true };
        _counts.TryGetValue(user, out var count);
        _counts[user] = ++count;
        var row = new PendingInboxRow(user, count, kind, conv, n, actor, status, data, message);
        _rows.Add(row);
        return row;
    }

    /// <summary>The users whose heads move, in the order their rows are locked.</summary>
    public string[] SortedUsers()
    {
        var users = _counts.Keys.ToArray();
        Array.Sort(users, StringComparer.Ordinal);
        return users;
    }

    /// <summary>
    /// Gives every row its seq from the heads before the move (<paramref name="bases"/>). A user absent from
    /// <paramref name="bases"/> has no live account: its rows are not written, and are dropped here.
    /// </summary>
    public void Assign(IReadOnlyDictionary<string, long> bases)
    {
        foreach (var row in _rows)
        {
            if (row.Dropped) continue;
            if (bases.TryGetValue(row.User, out var head)) row.Seq = head + row.Offset;
            else row.Dropped = true;
        }
    }

    /// <summary>Rows of <paramref name="user"/>, appended so far or later, are not written (its account is going).</summary>
    public void Drop(string user)
    {
        _dropped.Add(user);
        foreach (var row in _rows)
        {
            if (row.User == user) row.Dropped = true;
        }
        _counts.Remove(user);
    }

    public void Clear()
    {
        _counts.Clear();
        _rows.Clear();
        _dropped.Clear();
    }

    /// <summary>The rows to write: those not dropped.</summary>
    public IEnumerable<PendingInboxRow> Written => _rows.Where(r => !r.Dropped);
}

/// <summary>An inbox event waiting for its seq, which it gets when its transaction moves the user's head.</summary>
internal sealed class PendingInboxRow(string user, int offset, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
    string? data, PendingMessage? message)
{
    public string User { get; } = user;

    /// <summary>1 for the user's first row in the transaction, 2 for the next, ...</summary>
    public int Offset { get; } = offset;

    public InboxEntryKind Kind { get; } = kind;

    public string Conv { get; } = conv;

    public long N { get; } = n;

    public string Actor { get; } = actor;

    public ReceiptStatus? Status { get; } = status;

    public string? Data { get; } = data;

    /// <summary>For a message event, the message (its sender's row gives it its sender seq).</summary>
    public PendingMessage? Message { get; } = message;

    /// <summary>The seq, once assigned.</summary>
    public long Seq { get; set; }

    /// <summary>Not written: its user has no live account, or is being deleted.</summary>
    public bool Dropped { get; set; }

    /// <summary>
    /// The conversation whose base <see cref="N"/> is an offset from (a message numbered at the flush, see
    /// <see cref="ConversationRow.NumberedAtFlush"/>); null when <see cref="N"/> is final.
    /// </summary>
    public string? NumberedIn => Message is { Conversation.NumberedAtFlush: true } ? Conv : null;

    public InboxWrite ToWrite() => new(User, new InboxEntry(Seq, Kind, Conv, Message?.Stored.N ?? N, Actor, Status, Message?.Stored, Data));
}

/// <summary>A message row waiting for its sender's seq (and, when numbered at the flush, the base of its n).</summary>
internal sealed class PendingMessage(StoredMessage withoutSeq, ConversationRow conversation)
{
    private StoredMessage? _stored;

    /// <summary>
    /// The message as it will be stored, <see cref="StoredMessage.SenderSeq"/> still 0, and <see cref="StoredMessage.N"/> an
    /// offset when its conversation is numbered at the flush.
    /// </summary>
    public StoredMessage Row { get; } = withoutSeq;

    public ConversationRow Conversation { get; } = conversation;

    /// <summary>The participant of a direct conversation who blocks the sender and never sees the message (v1.1), or null.</summary>
    public string? HiddenFrom { get; init; }

    /// <summary>The sender's own inbox row of this message.</summary>
    public PendingInboxRow SenderRow { get; set; } = null!;

    /// <summary>The recipient's inbox row of a direct message (none: a group message, or a recipient who blocks the sender).</summary>
    public PendingInboxRow? RecipientRow { get; set; }

    /// <summary>The recipient's seq of a direct message, once the seqs are assigned; null when it got no row.</summary>
    public long? RecipientSeq => RecipientRow is { Dropped: false, Seq: > 0 } row ? row.Seq : null;

    /// <summary>The message with its sender seq (once the seqs are assigned).</summary>
    public StoredMessage Stored => _stored ??= Row with { N = Row.N + Conversation.NBase, SenderSeq = SenderRow.Seq };
}

/// <summary>
/// The inbox writes of a transaction, as the operation hands them to its caller: filled in after the seqs are assigned
/// (<see cref="Seal"/>), and read only after the commit.
/// </summary>
internal sealed class PendingWrites(List<PendingInboxRow> rows) : IReadOnlyList<InboxWrite>
{
    private InboxWrite[] _writes = [];

    public void Seal() => _writes = rows.Where(r => !r.Dropped).Select(r => r.ToWrite()).ToArray();

    public InboxWrite this[int index] => _writes[index];

    public int Count => _writes.Length;

    public IEnumerator<InboxWrite> GetEnumerator() => ((IEnumerable<InboxWrite>)_writes).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _writes.GetEnumerator();
}

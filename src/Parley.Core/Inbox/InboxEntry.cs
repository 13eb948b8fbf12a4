using Parley.Core.Messages;

namespace Parley.Core.Inbox;

public enum InboxEntryKind
{
    Message = 1,
    Receipt = 2,
}

public enum ReceiptStatus
{
    Delivered = 1,
    Read = 2,
}

/// <summary>One event of a user's inbox.</summary>
/// <param name="Seq">Its position in the user's inbox.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Conv">The conversation it is about.</param>
/// <param name="N">For a message its n; for a receipt its upTo.</param>
/// <param name="Actor">For a message its sender; for a receipt who received or read.</param>
/// <param name="Status">For a receipt, delivered or read.</param>
/// <param name="Message">For a message, the message.</param>
public sealed record InboxEntry(long Seq, InboxEntryKind Kind, string Conv, long N, string Actor, ReceiptStatus? Status, StoredMessage? Message);

/// <summary>An inbox entry just written for <paramref name="User"/>, to be pushed to the user's devices.</summary>
public sealed record InboxWrite(string User, InboxEntry Entry);

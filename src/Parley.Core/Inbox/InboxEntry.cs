using Parley.Core.Messages;

namespace Parley.Core.Inbox;

public enum InboxEntryKind
{
    Message = 1,
    Receipt = 2,
    Group = 3,
    /// <summary>The conversation's retention changed; N is the new ttl in seconds, or -1 for permanent.</summary>
    Settings = 4,
    /// <summary>Message N was deleted for everyone.</summary>
    Deleted = 5,
    /// <summary>
    /// A message the user sent will never reach recipient Actor; N is its n, Data its other fields as a JSON
    /// object (cid, id, to, reason).
    /// </summary>
    Failed = 6,
    /// <summary>Actor reacted to message N (v1.1); Data is the emoji, null when the reaction was taken back.</summary>
    Reaction = 7,
    /// <summary>Message N got a new body (v1.1); Data is "editedAt:body" (the body's JSON text as sent).</summary>
    Edited = 8,
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
/// <param name="Data">For a group or failed event, its other fields as a JSON object.</param>
public sealed record InboxEntry(long Seq, InboxEntryKind Kind, string Conv, long N, string Actor, ReceiptStatus? Status, StoredMessage? Message, string? Data = null);

/// <summary>An inbox entry just written for <paramref name="User"/>, to be pushed to the user's devices.</summary>
public sealed record InboxWrite(string User, InboxEntry Entry);

using Parley.Core.Inbox;

namespace Parley.Core.Messages;

public enum AppendStatus
{
    Stored,
    Duplicate,
    ParticipantNotFound,
    /// <summary>The conversation (a group) does not exist.</summary>
    ConversationNotFound,
    /// <summary>The sender is not a member of the group.</summary>
    NotMember,
    /// <summary>The media does not exist, or the sender may not see it.</summary>
    MediaNotFound,
    /// <summary>The message replied to is missing, deleted, expired or not visible to the sender (v1.1).</summary>
    ReplyTargetNotFound,
}

/// <summary>What appending a message did.</summary>
/// <param name="Status">Stored, a duplicate of an earlier cid, or refused because a participant does not exist.</param>
/// <param name="Message">The stored message (for a duplicate, the first one).</param>
/// <param name="Writes">The inbox entries written, to push to live devices (empty unless stored).</param>
public sealed record AppendResult(AppendStatus Status, StoredMessage? Message, IReadOnlyList<InboxWrite> Writes);

namespace Parley.Core.Conversations;

/// <summary>One of a user's conversations, for the conversation list.</summary>
/// <param name="PeerDelivered">Up to which n the other side has the user's messages: the other member of a direct
/// conversation, or every other member of a group (the last aggregated receipt's marker).</param>
/// <param name="PeerRead">Up to which n the other side has read them; never ahead of <paramref name="PeerDelivered"/>.</param>
/// <param name="Left">A group the user is no longer a member of; <paramref name="LastN"/> is the last message they saw.</param>
/// <param name="Description">A group's description (<c>""</c> when it has none); null for a direct conversation.</param>
public sealed record ConversationSummary(
    string Conv, bool IsGroup, string? Name, long LastN, long ReadUpTo, long Unread, long? RetentionSeconds, IReadOnlyList<string> Members,
    long LastActivity, long PeerDelivered, long PeerRead, bool Left = false, string? Description = null);

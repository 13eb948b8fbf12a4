namespace Parley.Core.Conversations;

/// <summary>One of a user's conversations, for the conversation list.</summary>
public sealed record ConversationSummary(
    string Conv, bool IsGroup, string? Name, long LastN, long ReadUpTo, long Unread, long? RetentionSeconds, IReadOnlyList<string> Members, long LastActivity);

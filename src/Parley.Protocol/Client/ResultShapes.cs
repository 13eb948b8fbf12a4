namespace Parley.Protocol.Client;

// The envelopes of ok replies whose result is one list or value; internal, only for deserialization.

internal sealed record ConversationsShape(IReadOnlyList<ConversationInfo>? Conversations);

internal sealed record MembersShape(IReadOnlyList<string>? Members);

internal sealed record AdminsShape(IReadOnlyList<string>? Admins);

internal sealed record RetentionShape(long? Retention);

internal sealed record PresenceShape(IReadOnlyList<PresenceStatus>? Presence);

internal sealed record PingShape(long Ts);

internal sealed record EditShape(long EditedAt);

internal sealed record UsersShape(IReadOnlyList<string>? Users);

internal sealed record InviteShape(string? Code);

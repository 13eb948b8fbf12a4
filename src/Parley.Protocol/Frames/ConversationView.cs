namespace Parley.Protocol.Frames;

/// <summary>One row of the <c>convs</c> reply.</summary>
/// <param name="Conv">The conversation id.</param>
/// <param name="Kind"><c>direct</c> or <c>group</c>.</param>
/// <param name="Name">The group's name, or null for a direct conversation.</param>
/// <param name="LastN">The position of the newest message.</param>
/// <param name="ReadUpTo">The caller's read marker.</param>
/// <param name="Unread">Others' messages after <paramref name="ReadUpTo"/>.</param>
/// <param name="Retention">The ttl in seconds, or null for permanent.</param>
/// <param name="Members">The members, for a direct conversation both usernames.</param>
/// <param name="PeerDelivered">Up to which n the other member (direct) or every other member (group) has the messages.</param>
/// <param name="PeerRead">Up to which n they have read them.</param>
/// <param name="Left">A group the caller has left or was removed from (listed only when asked for).</param>
/// <param name="Description">The group's description (<c>""</c> when it has none), or null for a direct conversation.</param>
public sealed record ConversationView(
    string Conv, string Kind, string? Name, long LastN, long ReadUpTo, long Unread, long? Retention, IReadOnlyList<string> Members,
    long PeerDelivered, long PeerRead, bool Left = false, string? Description = null);

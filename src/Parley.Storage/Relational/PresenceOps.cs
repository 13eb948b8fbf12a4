using Parley.Core.Presence;

namespace Parley.Storage.Relational;

// Presence writes, one small class each; they run only inside the writer's transaction.

/// <summary>Moves a user's last seen forward; an older value (a write that arrives late) changes nothing.</summary>
internal sealed class SaveLastSeenOp(string user, long lastSeen) : WriteOp<bool>
{
    protected override bool Run(WriteContext ctx) =>
        ctx.Execute("UPDATE users SET last_seen = @p1 WHERE username = @p0 AND (last_seen IS NULL OR last_seen < @p1)", user, lastSeen) > 0;
}

internal sealed class SetLastSeenPrivacyOp(string user, LastSeenPrivacy privacy) : WriteOp<bool>
{
    protected override bool Run(WriteContext ctx) =>
        ctx.Execute("UPDATE users SET last_seen_privacy = @p1 WHERE username = @p0", user, (long)privacy) > 0;
}

/// <summary>The presence reads, as SQL the store runs on a read connection.</summary>
internal static class PresenceQueries
{
    public const string Presence = "SELECT last_seen_privacy, last_seen FROM users WHERE username = @p0";

    // Each user's memberships are found through members_username; the other side through the primary key.
    public const string SharedConversation =
        "SELECT 1 FROM members a JOIN members b ON b.conv = a.conv AND b.username = @p1 WHERE a.username = @p0 LIMIT 1";
}

using Parley.Core.Presence;

namespace Parley.Storage.Sqlite;

// Presence writes, one small class each; they run only inside the writer's transaction.

/// <summary>Moves a user's last seen forward; an older value (a write that arrives late) changes nothing.</summary>
internal sealed class SaveLastSeenOp(string user, long lastSeen) : SqliteWriteOp<bool>
{
    protected override bool Run(SqliteWriteContext ctx) =>
        ctx.Execute("UPDATE users SET last_seen = $1 WHERE username = $0 AND (last_seen IS NULL OR last_seen < $1)", user, lastSeen) > 0;
}

internal sealed class SetLastSeenPrivacyOp(string user, LastSeenPrivacy privacy) : SqliteWriteOp<bool>
{
    protected override bool Run(SqliteWriteContext ctx) =>
        ctx.Execute("UPDATE users SET last_seen_privacy = $1 WHERE username = $0", user, (int)privacy) > 0;
}

/// <summary>The presence reads, as SQL the store runs on a read connection.</summary>
internal static class SqlitePresenceQueries
{
    public const string Presence = "SELECT last_seen_privacy, last_seen FROM users WHERE username = $0";

    // Each user's memberships are found through members_username; the other side through the primary key.
    public const string SharedConversation =
        "SELECT 1 FROM members a JOIN members b ON b.conv = a.conv AND b.username = $1 WHERE a.username = $0 LIMIT 1";
}

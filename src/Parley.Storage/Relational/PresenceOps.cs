using Parley.Core.Presence;

namespace Parley.Storage.Relational;

/// <summary>Presence writes: single statements that ride in a hot batch's flush.</summary>
internal static class PresenceOps
{
    /// <summary>Moves a user's last seen forward; an older value (a write that arrives late) changes nothing.</summary>
    public static StatementOp<bool> SaveLastSeen(string user, long lastSeen) =>
        new(StatementTable.Users, user, "UPDATE users SET last_seen = @p1 WHERE username = @p0 AND (last_seen IS NULL OR last_seen < @p1)", [user, lastSeen], rows => rows > 0);

    public static StatementOp<bool> SetLastSeenPrivacy(string user, LastSeenPrivacy privacy) =>
        new(StatementTable.Users, user, "UPDATE users SET last_seen_privacy = @p1 WHERE username = @p0", [user, (long)privacy], rows => rows > 0);
}

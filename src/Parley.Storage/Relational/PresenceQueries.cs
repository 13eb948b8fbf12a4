using System.Data.Common;
using Parley.Core.Presence;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The presence reads, run on a read connection.</summary>
internal static class PresenceQueries
{
    public static async Task<PresenceRecord> PresenceAsync(DbConnection c, string user, CancellationToken cancellationToken) =>
        await FirstAsync(c, "SELECT last_seen_privacy, last_seen FROM users WHERE username = @p0",
            r => new PresenceRecord((LastSeenPrivacy)r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1)), cancellationToken, user)
        ?? PresenceRecord.Unknown;

    /// <summary>Whether the two users are both members of some conversation.</summary>
    public static async Task<bool> ShareConversationAsync(DbConnection c, string user, string other, CancellationToken cancellationToken) =>
        // Each user's memberships are found through members_username; the other side through the primary key.
        await ScalarAsync(c, "SELECT 1 FROM members a JOIN members b ON b.conv = a.conv AND b.username = @p1 WHERE a.username = @p0 LIMIT 1",
            cancellationToken, user, other) is not null;
}

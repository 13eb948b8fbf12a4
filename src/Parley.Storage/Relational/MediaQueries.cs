using System.Data.Common;
using Parley.Core.Media;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The media catalog's reads, run on a read connection.</summary>
internal static class MediaQueries
{
    public static Task<StoredMedia?> VisibleAsync(DbConnection c, string mediaId, string user, long now, CancellationToken cancellationToken) =>
        FirstAsync(c, $"SELECT {MediaRows.StoredColumns} FROM media md WHERE md.media_id = @p0 AND {MediaRows.Visible}",
            r => MediaRows.ReadStored(r, 0), cancellationToken, mediaId, user, now);

    public static async Task<IReadOnlyList<MediaSweepCandidate>> SweepableAsync(DbConnection c, long now, long orphanBefore, int limit,
        CancellationToken cancellationToken) =>
        await ListAsync(c,
            $"SELECT media_id, blob, version FROM media WHERE {MediaRows.Sweepable("media.media_id", "@p0", "@p1")} ORDER BY last_used_at LIMIT @p2",
            r => new MediaSweepCandidate(r.GetString(0), r.GetString(1), r.GetInt64(2)), cancellationToken, now, orphanBefore, limit);
}

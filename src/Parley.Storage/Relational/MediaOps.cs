using Parley.Core.Media;

namespace Parley.Storage.Relational;

// The media writes, one small class each; they run in transactions of their own.

/// <summary>Another upload of stored bytes: the uploader is recorded, and the orphan clock starts again.</summary>
internal sealed class TryAddUploaderOp(string mediaId, string uploader, long now) : WriteOp<StoredMedia?>
{
    protected override async Task<StoredMedia?> RunAsync(WriteContext ctx)
    {
        var media = await ctx.FirstAsync(
            $"""
            UPDATE media SET last_used_at = @p1, referenced = 0, version = version + 1 WHERE media_id = @p0
            RETURNING {Unaliased(MediaRows.StoredColumns)}
            """, r => MediaRows.ReadStored(r, 0), mediaId, now);
        if (media is not null) await MediaOps.AddUploaderAsync(ctx, mediaId, uploader, now);
        return media;
    }

    private static string Unaliased(string columns) => columns.Replace("md.", "", StringComparison.Ordinal);
}

/// <summary>A newly stored media; when the same bytes were recorded meanwhile (another node, another upload), that row wins.</summary>
internal sealed class AddMediaOp(StoredMedia media, string uploader, long now) : WriteOp<StoredMedia>
{
    protected override async Task<StoredMedia> RunAsync(WriteContext ctx)
    {
        var i = media.Info;
        var stored = (await ctx.FirstAsync(
            $"""
            INSERT INTO media(media_id, mime, size, width, height, duration_ms, thumbnail, blob, created_at, last_used_at)
            VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)
            ON CONFLICT(media_id) DO UPDATE SET last_used_at = excluded.last_used_at, referenced = 0, version = media.version + 1
            RETURNING {MediaRows.StoredColumns.Replace("md.", "", StringComparison.Ordinal)}
            """, r => MediaRows.ReadStored(r, 0),
            i.Id, i.Mime, i.Size, (long?)i.Width, (long?)i.Height, i.DurationMs, i.Thumbnail ? 1L : 0L, media.Blob, media.CreatedAt, now))!;
        await MediaOps.AddUploaderAsync(ctx, i.Id, uploader, now);
        return stored;
    }
}

/// <summary>Deletes a sweep candidate's rows if nothing used it since it was found and it is still sweepable.</summary>
internal sealed class DeleteSweepableMediaOp(MediaSweepCandidate candidate, long now, long orphanBefore) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx)
    {
        // The version check is what makes this safe beside other nodes: a send or upload that used the media after
        // it was found moved the version (and, in PostgreSQL, holds the row until it commits, after which the
        // condition is evaluated again against the new row).
        var deleted = await ctx.ExecuteAsync(
            $"DELETE FROM media WHERE media_id = @p0 AND version = @p1 AND {MediaRows.Sweepable("@p0", "@p2", "@p3")}",
            candidate.Id, candidate.Version, now, orphanBefore) == 1;
        if (deleted) await ctx.ExecuteAsync("DELETE FROM media_uploads WHERE media_id = @p0", candidate.Id);
        return deleted;
    }
}

/// <summary>Steps the media writes share.</summary>
internal static class MediaOps
{
    public static Task AddUploaderAsync(WriteContext ctx, string mediaId, string uploader, long now) =>
        ctx.ExecuteAsync(
            "INSERT INTO media_uploads(media_id, username, uploaded_at) VALUES(@p0, @p1, @p2) ON CONFLICT(media_id, username) DO UPDATE SET uploaded_at = excluded.uploaded_at",
            mediaId, uploader, now);
}

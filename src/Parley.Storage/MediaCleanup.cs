using Microsoft.Extensions.Logging;
using Parley.Core.Storage;

namespace Parley.Storage;

/// <summary>
/// Deletes media that may go: referenced only by messages that expired or were deleted, or uploaded and not used
/// by any message for the orphan age; and staging files of uploads that died. Not scheduled here: the retention
/// sweeper calls <see cref="SweepAsync"/>. Safe on several nodes at once and beside uploads and sends (the catalog
/// deletes a row only if nothing used it since it was found; the files go after the row).
/// </summary>
public sealed partial class MediaCleanup(IMediaCatalog catalog, IMediaStore store, TimeProvider time, TimeSpan orphanAge, ILogger<MediaCleanup> logger)
{
    /// <summary>Sweeps at most <paramref name="limit"/> media; returns how many were deleted.</summary>
    public async Task<int> SweepAsync(int limit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var orphanBefore = (now - orphanAge).ToUnixTimeMilliseconds();
        var deleted = 0;
        foreach (var candidate in await catalog.FindSweepableMediaAsync(nowMs, orphanBefore, limit, cancellationToken))
        {
            if (!await catalog.DeleteMediaIfSweepableAsync(candidate, nowMs, orphanBefore, cancellationToken)) continue;
            await store.DeleteAsync(candidate.Blob, cancellationToken);
            deleted++;
        }
        var staged = await store.DeleteStaleStagingAsync(orphanAge, cancellationToken);
        if (deleted + staged > 0) LogSwept(logger, deleted, staged);
        return deleted;
    }

    [LoggerMessage(EventId = 7006, Level = LogLevel.Information, Message = "Swept {Media} unused media and {Staged} stale staging files")]
    private static partial void LogSwept(ILogger logger, int media, int staged);
}

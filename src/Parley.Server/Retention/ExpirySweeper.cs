using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage;

namespace Parley.Server.Retention;

/// <summary>
/// Deletes expired messages and their inbox entries, then media no live message needs, every <see cref="RetentionOptions.SweepInterval"/>,
/// in bounded batches, until none is left. Expiry is read from stored timestamps, so a restart loses
/// nothing and every node of a cluster may sweep (a batch that finds nothing costs one indexed query).
/// </summary>
internal sealed partial class ExpirySweeper(
    IMessageStore store, MediaCleanup media, IOptions<RetentionOptions> options, TimeProvider time, ILogger<ExpirySweeper> logger)
    : Hosting.PeriodicSweeper(options.Value.SweepInterval, time)
{
    protected override async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var batch = options.Value.SweepBatchSize;
            var total = 0;
            int deleted;
            do
            {
                deleted = await store.SweepExpiredAsync(Time.GetUtcNow().ToUnixTimeMilliseconds(), batch, cancellationToken);
                total += deleted;
            }
            while (deleted == batch);
            if (total > 0) LogSwept(logger, total);

            // Then the media that only expired or deleted messages referenced, and uploads nobody used within a day.
            while (await media.SweepAsync(batch, cancellationToken) == batch)
            {
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again; expired messages are not served meanwhile.
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Debug, Message = "Deleted {Count} expired messages")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "Sweeping expired messages failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

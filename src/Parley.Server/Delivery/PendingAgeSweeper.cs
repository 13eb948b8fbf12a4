using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Server.Hosting;

namespace Parley.Server.Delivery;

/// <summary>
/// Every <see cref="DeliveryOptions.FailureSweepInterval"/>, drops from their recipients' inboxes the messages that no
/// device of the recipient acked within <see cref="DeliveryOptions.MaxPendingAge"/>, and tells their senders with a
/// <c>failed</c> event written in the same commit, in bounded batches until none is left. Like the retention sweep it
/// keeps no timers: ages are read from stored timestamps, so a restart loses nothing and every node may sweep.
/// </summary>
internal sealed partial class PendingAgeSweeper(
    IMessageStore store, InboxPublisher publisher, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<PendingAgeSweeper> logger)
    : Hosting.PeriodicSweeper(options.Value.FailureSweepInterval, time)
{
    protected override async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            var batch = options.Value.FailureSweepBatchSize;
            var total = 0;
            while (true)
            {
                var now = Time.GetUtcNow();
                var failures = await store.FailUndeliveredAsync((now - options.Value.MaxPendingAge).ToUnixTimeMilliseconds(),
                    now.ToUnixTimeMilliseconds(), batch, cancellationToken);
                publisher.Publish(failures.Writes);
                total += failures.Dropped;
                if (failures.Dropped < batch) break;
            }
            if (total > 0) LogFailed(logger, total);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again; nothing was dropped without its failed event (they share a commit).
            LogSweepFailed(logger, ex);
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "{Count} messages pending past MaxPendingAge failed")]
    private static partial void LogFailed(ILogger logger, int count);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Sweeping messages pending past MaxPendingAge failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Inbox;
using Parley.Core.Storage;

namespace Parley.Grains.Groups;

/// <inheritdoc cref="IGroupGrain" />
public sealed partial class GroupGrain(IGroupStore store, IInboxPublisher publisher, IOptions<GroupReceiptOptions> options, ILogger<GroupGrain> logger)
    : Grain, IGroupGrain
{
    private IGrainTimer? _pending;

    public Task MarkersMovedAsync()
    {
        // One aggregation per interval: the first change arms the timer, later ones ride along.
        _pending ??= this.RegisterGrainTimer(AggregateAsync, new GrainTimerCreationOptions(options.Value.ReceiptInterval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    private async Task AggregateAsync(CancellationToken cancellationToken)
    {
        _pending?.Dispose();
        _pending = null;
        try
        {
            publisher.Publish(await store.AggregateReceiptsAsync(this.GetPrimaryKeyString(), cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The markers are stored; the next change in this group aggregates again.
            LogAggregationFailed(logger, this.GetPrimaryKeyString(), ex);
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Aggregating the receipts of {Group} failed")]
    private static partial void LogAggregationFailed(ILogger logger, string group, Exception exception);
}

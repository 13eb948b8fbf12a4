using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Load;
using Parley.Core.Storage;

namespace Parley.Grains.Groups;

/// <inheritdoc cref="IGroupGrain" />
public sealed partial class GroupGrain(IGroupStore store, IInboxPublisher publisher, IOptions<GroupReceiptOptions> options, ILoadLevel load,
    ILogger<GroupGrain> logger)
    : Grain, IGroupGrain
{
    private IGrainTimer? _pending;

    public Task MarkersMovedAsync()
    {
        // One aggregation per interval: the first change arms the timer, later ones ride along. Under load (level 2
        // of this node's governor) the interval is the slow one, so a busy group costs fewer commits and pushes.
        if (_pending is not null) return Task.CompletedTask;
        var interval = options.Value.ReceiptInterval;
        if (load.Current >= LoadLevel.Strained && load.SlowReceiptInterval > interval)
        {
            load.CountShed(ShedKinds.ReceiptDelay);
            interval = load.SlowReceiptInterval;
        }
        _pending = this.RegisterGrainTimer(AggregateAsync, new GrainTimerCreationOptions(interval, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    private async Task AggregateAsync(CancellationToken cancellationToken)
    {
        _pending?.Dispose();
        _pending = null;
        try
        {
            publisher.Publish(await store.AggregateReceiptsAsync(ConversationId.Parse(this.GetPrimaryKeyString()), cancellationToken));
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

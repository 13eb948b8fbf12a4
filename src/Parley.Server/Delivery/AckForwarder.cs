using Parley.Core.Load;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// Carries a device's acks to the store, coalesced: while one ack is being committed, newer ones
/// only raise the target, and the next commit takes the highest. Acks are cumulative, so nothing is lost.
/// From load level 2 each commit first waits the slow receipt interval, so the acks of that interval (and the
/// delivered receipts they cause) become one write. An ack whose write fails is retried until it is stored (the store
/// itself retries transient failures; this covers a database that stays away longer), until the host stops.
/// </summary>
internal sealed partial class AckForwarder(IMessageStore store, InboxPublisher publisher, Username user, string deviceId, ILoadLevel load,
    TimeProvider time, ILogger logger, CancellationToken hostStopping)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private long _target;
    private long _stored;
    private bool _running;

    public void Submit(long seq)
    {
        lock (_lock)
        {
            if (seq <= _target) return;
            _target = seq;
            if (_running) return;
            _running = true;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        var retryDelay = FirstRetryDelay;
        while (true)
        {
            long target;
            lock (_lock)
            {
                if (_stored >= _target)
                {
                    _running = false;
                    return;
                }
                target = _target;
            }
            try
            {
                if (load.Current >= LoadLevel.Strained)
                {
                    load.CountShed(ShedKinds.ReceiptDelay);
                    await Task.Delay(load.SlowReceiptInterval, time);
                    lock (_lock) target = _target;
                }
                publisher.Publish(await store.AckAsync(user, deviceId, target, CancellationToken.None));
            }
            catch (Exception ex)
            {
                // Until it is stored, the sender's delivered receipt waits; so the ack is tried again, later and later.
                LogAckFailed(logger, user.Value, target, ex);
                try
                {
                    await Task.Delay(retryDelay, time, hostStopping);
                }
                catch (OperationCanceledException)
                {
                    // The host is stopping: the device's cursor lags, it is re-sent what it already had and acks again.
                    lock (_lock) _running = false;
                    return;
                }
                retryDelay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, retryDelay.Ticks * 2));
                continue;
            }
            retryDelay = FirstRetryDelay;
            lock (_lock) _stored = target;
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Storing the ack of {User} up to {Seq} failed; it is tried again")]
    private static partial void LogAckFailed(ILogger logger, string user, long seq, Exception exception);
}

using Parley.Core.Load;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// Carries a device's acks to the store, coalesced: while one ack is being committed, newer ones
/// only raise the target, and the next commit takes the highest. Acks are cumulative, so nothing is lost.
/// An ack that owes no one a receipt (its newly acked range holds no direct message from someone else: group messages,
/// the user's own messages, receipts, group events) waits up to <paramref name="lazyDelay"/> to be stored with the acks
/// after it: in a busy group a member's acks of many messages become one write, and in a direct conversation the
/// sender's acks of its own copy and of the receipt ride with its next urgent one. Its only effects are the device's
/// cursor and the group's delivered markers, whose receipts are aggregated per interval anyway. An urgent ack (a direct
/// message's delivered receipt is waiting for it) is stored at once and takes the waiting ones with it.
/// From load level 2 each commit first waits the slow receipt interval, so the acks of that interval (and the
/// delivered receipts they cause) become one write. An ack whose write fails is retried until it is stored (the store
/// itself retries transient failures; this covers a database that stays away longer), until the host stops.
/// </summary>
internal sealed partial class AckForwarder(IMessageStore store, InboxPublisher publisher, Username user, string deviceId, ILoadLevel load,
    TimeProvider time, ILogger logger, CancellationToken hostStopping, TimeSpan lazyDelay = default, Lock? sync = null)
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    // The connection's one lock when it passes it (see OutboundQueue).
    private readonly Lock _lock = sync ?? new Lock();
    private long _target;
    // The highest ack that owes a receipt: while it is above what is stored, the loop does not wait.
    private long _urgentTarget;
    private long _stored;
    private bool _running;
    // A lazy ack waits for the timer (created on the first one).
    private bool _waiting;
    private ITimer? _timer;

    /// <summary>The device acked up to <paramref name="seq"/>; <paramref name="urgent"/>: a receipt waits for it (store it now).</summary>
    public void Submit(long seq, bool urgent = true)
    {
        lock (_lock)
        {
            if (seq <= _target && !(urgent && _waiting)) return;
            _target = Math.Max(_target, seq);
            if (urgent) _urgentTarget = Math.Max(_urgentTarget, seq);
            if (_running) return;
            if (!urgent && lazyDelay > TimeSpan.Zero)
            {
                if (_waiting) return;
                _waiting = true;
                _timer ??= time.CreateTimer(static s => ((AckForwarder)s!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                _timer.Change(lazyDelay, Timeout.InfiniteTimeSpan);
                return;
            }
            _waiting = false;
            _running = true;
        }
        _ = RunAsync();
    }

    /// <summary>Stores a waiting lazy ack now (its delay passed, or the connection is closing).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (!_waiting || _running) return;
            _waiting = false;
            _running = true;
        }
        _ = RunAsync();
    }

    private async Task RunAsync()
    {
        var retryDelay = FirstRetryDelay;
        var storedOnce = false;
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
                if (storedOnce && _urgentTarget <= _stored && lazyDelay > TimeSpan.Zero)
                {
                    // Only lazy acks came in meanwhile: they wait for the next urgent one or the delay.
                    _running = false;
                    _waiting = true;
                    _timer ??= time.CreateTimer(static s => ((AckForwarder)s!).Flush(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                    _timer.Change(lazyDelay, Timeout.InfiniteTimeSpan);
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
                LogAckFailed(logger, user.Value, deviceId, target, ex);
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
            storedOnce = true;
            lock (_lock) _stored = target;
        }
    }

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Storing the ack of {User} on {Device} up to {Seq} failed; it is tried again")]
    private static partial void LogAckFailed(ILogger logger, string user, string device, long seq, Exception exception);
}

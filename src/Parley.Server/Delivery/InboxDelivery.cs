using System.Data.Common;
using Parley.Core.Inbox;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Server.Gateway;
using Parley.Server.Observability;

namespace Parley.Server.Delivery;

/// <summary>
/// What one connection has been sent of its user's inbox and what it has acked. One loop owns the state: it catches
/// up from the store, forwards live pushes in seq order, and re-sends un-acked events after the ack timeout, doubling
/// the wait each time, until the last attempt closes the socket with 4409. The loop runs only while there is something
/// to do (a signal starts it on the thread pool, it ends when none is left), and the timer exists once something was
/// sent: an idle connection holds neither. A push past a gap is held for <see cref="DeliveryOptions.GapWait"/>: the
/// events between were committed too, by another writer (in a cluster, a user's inbox is appended by every node that
/// sends to the user or stores a receipt for it), and their push is usually on its way. If they come the held ones
/// follow them; if not, the loop reads the store from the gap.
/// </summary>
internal sealed partial class InboxDelivery : IAsyncDisposable, IThreadPoolWorkItem
{
    private const int PageSize = 256;

    // Pushes waiting for the loop beyond this are dropped: the store has them, and the loop catches up.
    private const int MaxPendingPushes = 256;

    // Pushes held past a gap beyond this: the loop reads the store instead of waiting for the rest.
    private const int MaxHeldPushes = 64;

    // A store read that fails (its connection pool exhausted by a connect storm, a dropped connection) is retried
    // this many times, waiting 1, 2, 4, ... s with jitter, before the socket is closed with 4409: the store has
    // every event, so waiting loses nothing, while closing turns the store's pressure into reconnects.
    private const int MaxStoreRetries = 5;

    // The connection's one lock when it passes it (see OutboundQueue).
    private readonly Lock _lock;
    private readonly IMessageStore _store;
    private readonly OutboundQueue _outbound;
    private readonly AckForwarder _acks;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<int, string> _close;
    private readonly ILogger _logger;
    private readonly ParleyMetrics _metrics;
    private readonly Username _user;
    // For the log lines only: they name the connection and its device (there is no per-connection log scope).
    private readonly string _connectionId;
    private readonly string _deviceId;
    // Guarded by _lock: the signals not yet taken (null when none), whether the loop may run and whether it runs.
    private Queue<Signal>? _signals;
    private bool _running;
    private bool _pumping;
    private bool _stopped;
    private TaskCompletionSource? _pumped;
    private CancellationTokenSource? _stop;
    private ITimer? _timer;

    private int _pendingPushes;
    private int _missedPushes;
    private long _sent;
    private long _acked;
    // Seqs sent (first time) and not yet acked whose ack a delivered receipt waits for: an ack past one is stored at once.
    private Queue<long>? _owing;
    private int _attempt;
    private DateTimeOffset? _deadline;
    // Pushes past a gap, by seq, and when the loop stops waiting for the gap to fill and reads the store.
    private SortedList<long, InboxPush>? _held;
    private DateTimeOffset? _gapDeadline;

    public InboxDelivery(Username user, IMessageStore store, OutboundQueue outbound, AckForwarder acks, DeliveryOptions options,
        TimeProvider time, Action<int, string> close, ParleyMetrics metrics, ILogger logger, string connectionId = "", string deviceId = "", Lock? sync = null)
    {
        _lock = sync ?? new Lock();
        _connectionId = connectionId;
        _deviceId = deviceId;
        _metrics = metrics;
        _user = user;
        _store = store;
        _outbound = outbound;
        _acks = acks;
        _options = options;
        _time = time;
        _close = close;
        _logger = logger;
    }

    /// <summary>Queues the start: deliver the events after <paramref name="after"/> (what the device says it has).</summary>
    public void Start(long after) => Post(new Signal(SignalKind.Start, after, null, null));

    /// <summary>Begins sending (after the welcome is queued): the start first, then whatever came meanwhile.</summary>
    public void Run()
    {
        lock (_lock)
        {
            _running = true;
            if (!StartPump()) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Live events from the user's grain (pushed from another node).</summary>
    public void OnPushed(InboxPush[] events)
    {
        if (TakePushSlot()) Post(new Signal(SignalKind.Pushed, 0, null, events));
    }

    /// <summary>
    /// A live event committed on this node. When the loop is idle and the event is the next one, it is queued for the
    /// socket on the caller's thread (see <see cref="TryOwn"/>); otherwise it waits for the loop like any signal.
    /// </summary>
    public void OnPushed(InboxPush push)
    {
        if (TryForwardInline(push)) return;
        if (TakePushSlot()) Post(new Signal(SignalKind.Pushed, 0, push, null));
    }

    private bool TryForwardInline(InboxPush push)
    {
        if (!TryOwn()) return false;
        try
        {
            if (push.Seq <= _sent) return true;
            // A gap, pushes held behind one (the loop sends them after this one), or a full event lane: the loop's work.
            if (push.Seq != _sent + 1 || _held is { Count: > 0 } || !_outbound.TryEnqueueEvent(push.Frame)) return false;
            Sent(push.Seq, push.OwesReceipt);
            if (push.AcceptedAt != 0) MessageDelivered(push.AcceptedAt);
            return true;
        }
        finally
        {
            Disown();
        }
    }

    /// <summary>
    /// Takes the loop's state for work that needs no waiting, on the caller's thread: a push that can be queued at
    /// once, or an ack. Most group deliveries and acks are that, and each thread-pool hop saved is a wake-up on two
    /// cores shared with everything else. False when the loop runs or has signals waiting (they come first, in order),
    /// has not started, or has stopped. Others meanwhile see the loop as running and queue their signals for it;
    /// <see cref="Disown"/> starts it for them.
    /// </summary>
    private bool TryOwn()
    {
        lock (_lock)
        {
            if (!_running || _pumping || _stopped || _signals is { Count: > 0 }) return false;
            _pumping = true;
            return true;
        }
    }

    private void Disown()
    {
        lock (_lock)
        {
            _pumping = false;
            if (_stopped)
            {
                _signals = null;
                _pumped?.TrySetResult();
                return;
            }
            if (!StartPump()) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private bool TakePushSlot()
    {
        if (Interlocked.Increment(ref _pendingPushes) <= MaxPendingPushes) return true;
        Interlocked.Decrement(ref _pendingPushes);
        Volatile.Write(ref _missedPushes, 1);
        return false;
    }

    /// <summary>The device acked up to <paramref name="seq"/>: handled on the caller's thread when the loop is idle.</summary>
    public void OnAcked(long seq)
    {
        if (!TryOwn())
        {
            Post(new Signal(SignalKind.Acked, seq, null, null));
            return;
        }
        try
        {
            Acked(seq);
        }
        finally
        {
            Disown();
        }
    }

    /// <summary>Read anything new from the store (after (re)attaching to the grain, when pushes may have been missed).</summary>
    public void CatchUp() => Post(new Signal(SignalKind.CatchUp, 0, null, null));

    private void Post(Signal signal)
    {
        lock (_lock)
        {
            if (_stopped) return;
            (_signals ??= new Queue<Signal>()).Enqueue(signal);
            if (!StartPump()) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Under the lock: whether the caller is to start the loop (it may run, runs not, and has work).</summary>
    private bool StartPump()
    {
        if (!_running || _pumping || _stopped || _signals is not { Count: > 0 }) return false;
        _pumping = true;
        _stop = new CancellationTokenSource();
        return true;
    }

    void IThreadPoolWorkItem.Execute() => _ = PumpAsync(_stop!.Token);

    /// <summary>The next signal, or false when none is left: the loop ends (and says so to a dispose waiting for it).</summary>
    private bool TryTake(out Signal signal)
    {
        lock (_lock)
        {
            if (!_stopped && _signals is { Count: > 0 } signals)
            {
                signal = signals.Dequeue();
                return true;
            }
            // Idle: the loop's token is dropped with it (never cancelled, it holds nothing).
            _signals = null;
            _stop = null;
            _pumping = false;
            _pumped?.TrySetResult();
            signal = default;
            return false;
        }
    }

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (TryTake(out var signal))
            {
                for (var failures = 0; ; failures++)
                {
                    try
                    {
                        await HandleAsync(signal, cancellationToken);
                        if (Interlocked.Exchange(ref _missedPushes, 0) == 1) await CatchUpAsync(cancellationToken);
                        break;
                    }
                    catch (DbException ex) when (failures < MaxStoreRetries)
                    {
                        LogStoreReadRetried(_logger, _user.Value, _connectionId, _deviceId, failures + 1, ex);
                        var step = TimeSpan.FromSeconds(1 << failures);
                        await Task.Delay(step / 2 + step / 2 * Random.Shared.NextDouble(), _time, cancellationToken);
                        // What was sent is settled (_sent moves only once a frame is queued): read again from there. A
                        // resend tick is tried again as itself.
                        if (signal.Kind != SignalKind.Tick) signal = new Signal(SignalKind.CatchUp, 0, null, null);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            StopPump();
        }
        catch (Exception ex)
        {
            StopPump();
            LogDeliveryFailed(_logger, _user.Value, _connectionId, _deviceId, ex);
            _close(CloseCodes.NotAcknowledged, "delivery failed; resume later");
        }
    }

    private async Task HandleAsync(Signal signal, CancellationToken cancellationToken)
    {
        switch (signal.Kind)
        {
            case SignalKind.Start:
                _sent = _acked = signal.Value;
                _owing?.Clear();
                _held?.Clear();
                _gapDeadline = null;
                await CatchUpAsync(cancellationToken);
                break;
            case SignalKind.CatchUp:
                await CatchUpAsync(cancellationToken);
                break;
            case SignalKind.Pushed:
                Interlocked.Decrement(ref _pendingPushes);
                if (signal.Event is { } push) await ForwardAsync(push, cancellationToken);
                else await ForwardAsync(signal.Events!, cancellationToken);
                break;
            case SignalKind.Acked:
                Acked(signal.Value);
                break;
            case SignalKind.Tick:
                if (_gapDeadline is { } gapDeadline && _time.GetUtcNow() >= gapDeadline)
                {
                    _metrics.GapClosed(byPush: false);
                    await CatchUpAsync(cancellationToken);
                }
                await ResendIfDueAsync(cancellationToken);
                ArmTimer();
                break;
        }
    }

    /// <summary>The loop ended for good (cancelled or failed): signals from now on are not taken.</summary>
    private void StopPump()
    {
        lock (_lock)
        {
            _stopped = true;
            _signals = null;
            _pumping = false;
            _pumped?.TrySetResult();
        }
    }

    private async Task ForwardAsync(InboxPush[] events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            if (!await ForwardAsync(e, cancellationToken)) return;
        }
    }

    /// <summary>
    /// Sends the event when it is the next one (and the held ones it lets through), holds it past a gap; false when it
    /// went back to the store (or could not send) instead.
    /// </summary>
    private async ValueTask<bool> ForwardAsync(InboxPush e, CancellationToken cancellationToken)
    {
        if (e.Seq <= _sent) return true;
        if (e.Seq != _sent + 1)
        {
            if (Hold(e)) return true;
            _metrics.GapClosed(byPush: false);
            await CatchUpAsync(cancellationToken);
            return false;
        }
        if (!await SendLiveAsync(e, cancellationToken)) return false;
        return await SendHeldAsync(cancellationToken);
    }

    private async ValueTask<bool> SendLiveAsync(InboxPush e, CancellationToken cancellationToken)
    {
        if (!await SendAsync(e.Seq, e.Frame, e.OwesReceipt, cancellationToken)) return false;
        if (e.AcceptedAt != 0) MessageDelivered(e.AcceptedAt);
        return true;
    }

    /// <summary>Keeps a push past a gap for the events before it to come; false when the loop is to read the store instead.</summary>
    private bool Hold(InboxPush e)
    {
        if (_options.GapWait <= TimeSpan.Zero) return false;
        _held ??= new SortedList<long, InboxPush>();
        if (_held.Count >= MaxHeldPushes && !_held.ContainsKey(e.Seq)) return false;
        _held.TryAdd(e.Seq, e);
        if (_gapDeadline is null)
        {
            _gapDeadline = _time.GetUtcNow() + _options.GapWait;
            ArmTimer();
        }
        return true;
    }

    /// <summary>Sends the held pushes that are next in turn; drops those the connection has. False when one could not be sent.</summary>
    private async ValueTask<bool> SendHeldAsync(CancellationToken cancellationToken)
    {
        if (_held is not { Count: > 0 } held) return true;
        while (held.Count > 0 && held.Keys[0] <= _sent + 1)
        {
            var next = held.Values[0];
            held.RemoveAt(0);
            if (next.Seq <= _sent) continue;
            if (!await SendLiveAsync(next, cancellationToken)) return false;
        }
        if (held.Count == 0 && _gapDeadline is not null)
        {
            // Filled by the pushes that were on their way: no store read.
            _gapDeadline = null;
            _metrics.GapClosed(byPush: true);
        }
        return true;
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var entries = await _store.ReadInboxAsync(_user, _sent, PageSize, cancellationToken);
            foreach (var entry in entries)
            {
                if (!InboxFrames.HasFrame(entry))
                {
                    // Expired or deleted since: nothing to send, and nothing the device must ack.
                    _sent = entry.Seq;
                    continue;
                }
                if (!await SendAsync(entry.Seq, InboxFrames.Build(entry), InboxFrames.OwesReceipt(_user.Value, entry), cancellationToken)) return;
                // From the store (a catch-up): counted, but its latency is how long the device was away, not the server's.
                if (entry.Kind == InboxEntryKind.Message) _metrics.MessageDelivered();
            }
            if (entries.Count < PageSize) break;
        }
        // What was held is in the store too: at or below where the read ended.
        _held?.Clear();
        _gapDeadline = null;
    }

    private async ValueTask<bool> SendAsync(long seq, byte[] frame, bool owesReceipt, CancellationToken cancellationToken)
    {
        if (!await _outbound.EnqueueEventAsync(frame, cancellationToken))
        {
            _close(CloseCodes.NotAcknowledged, "send queue full; resume later");
            return false;
        }
        Sent(seq, owesReceipt);
        return true;
    }

    /// <summary>The event <paramref name="seq"/> was queued for the socket: it is now owed an ack.</summary>
    private void Sent(long seq, bool owesReceipt)
    {
        _sent = seq;
        if (owesReceipt) (_owing ??= new Queue<long>()).Enqueue(seq);
        if (_deadline is null)
        {
            _attempt = 1;
            Schedule(_options.AckTimeout);
        }
    }

    /// <summary>A live push of a message was queued for the socket: its latency since the send was accepted.</summary>
    private void MessageDelivered(long acceptedAt)
    {
        _metrics.MessageDelivered();
        var latency = _time.GetUtcNow().ToUnixTimeMilliseconds() - acceptedAt;
        _metrics.DeliveryLatency(TimeSpan.FromMilliseconds(Math.Max(0, latency)));
    }

    private void Acked(long seq)
    {
        var upTo = Math.Min(seq, _sent);
        if (upTo <= _acked) return;
        _acked = upTo;
        var urgent = false;
        while (_owing is { Count: > 0 } owing && owing.Peek() <= upTo)
        {
            owing.Dequeue();
            urgent = true;
        }
        _acks.Submit(upTo, urgent);
        if (_acked >= _sent)
        {
            _deadline = null;
            ArmTimer();
        }
        else
        {
            // Progress: the rest gets a fresh first window.
            _attempt = 1;
            Schedule(_options.AckTimeout);
        }
    }

    private async Task ResendIfDueAsync(CancellationToken cancellationToken)
    {
        if (_deadline is not { } deadline) return;
        if (_acked >= _sent)
        {
            // Nothing owed: no deadline left to tick for.
            _deadline = null;
            return;
        }
        var now = _time.GetUtcNow();
        if (now < deadline) return;
        if (_attempt >= _options.MaxAttempts)
        {
            _close(CloseCodes.NotAcknowledged, "delivery not acknowledged; resume later");
            return;
        }
        _attempt++;
        var after = _acked;
        while (after < _sent)
        {
            var entries = await _store.ReadInboxAsync(_user, after, PageSize, cancellationToken);
            if (entries.Count == 0) break;
            var passedSent = false;
            foreach (var entry in entries)
            {
                if (entry.Seq > _sent)
                {
                    passedSent = true;
                    break;
                }
                after = entry.Seq;
                if (!InboxFrames.HasFrame(entry)) continue;
                if (!await _outbound.EnqueueEventAsync(InboxFrames.Build(entry), cancellationToken))
                {
                    _close(CloseCodes.NotAcknowledged, "send queue full; resume later");
                    return;
                }
            }
            if (passedSent || entries.Count < PageSize) break;
        }
        Schedule(_options.AckTimeout * Math.Pow(2, _attempt - 1));
    }

    private void Schedule(TimeSpan wait)
    {
        _deadline = _time.GetUtcNow() + wait;
        ArmTimer();
    }

    /// <summary>One timer for both deadlines (the ack timeout's and a held gap's): it ticks at the earlier.</summary>
    private void ArmTimer()
    {
        var next = _deadline is { } ack && _gapDeadline is { } gap ? (ack < gap ? ack : gap) : _deadline ?? _gapDeadline;
        if (next is not { } at)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        _timer ??= _time.CreateTimer(static s => ((InboxDelivery)s!).Post(new Signal(SignalKind.Tick, 0, null, null)), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var wait = at - _time.GetUtcNow();
        _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public async ValueTask DisposeAsync()
    {
        Task pumped;
        CancellationTokenSource? stop;
        long lastAck = 0;
        lock (_lock)
        {
            _stopped = true;
            stop = _stop;
            pumped = _pumping ? (_pumped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task : Task.CompletedTask;
            // An ack read just before the close may still wait for the loop, which stops here: it is stored all the same.
            if (_signals is not null)
            {
                foreach (var signal in _signals)
                {
                    if (signal.Kind == SignalKind.Acked) lastAck = Math.Max(lastAck, signal.Value);
                }
            }
        }
        if (stop is not null) await stop.CancelAsync();
        // After the loop: only the loop creates the timer, and what was sent is settled.
        await pumped;
        if (lastAck > 0) Acked(lastAck);
        // A lazy ack waiting for its delay is stored now: the device's cursor is where it acked when it reconnects.
        _acks.Flush();
        if (_timer is not null) await _timer.DisposeAsync();
        stop?.Dispose();
    }

    private enum SignalKind
    {
        Start,
        CatchUp,
        Pushed,
        Acked,
        Tick,
    }

    // A push carries one event (committed on this node) or several (from the user's grain).
    private readonly record struct Signal(SignalKind Kind, long Value, InboxPush? Event, InboxPush[]? Events);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Reading the inbox of {User} for connection {ConnectionId} on {Device} failed (attempt {Attempt}); retrying")]
    private static partial void LogStoreReadRetried(ILogger logger, string user, string connectionId, string device, int attempt, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Delivering the inbox of {User} to connection {ConnectionId} on {Device} failed")]
    private static partial void LogDeliveryFailed(ILogger logger, string user, string connectionId, string device, Exception exception);
}

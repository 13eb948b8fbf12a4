using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>
/// The one writer of a socket. Everything sent to the client (replies, inbox events, presence and typing,
/// the close frame) goes through it, so no two writes ever overlap. Three bounded lanes share one loop:
/// replies, which must never wait, and inbox events, whose producer waits for room (events are in the store:
/// a socket that stays full is closed with 4409 and catches up when it resumes), share one FIFO; signals
/// (presence and typing) are written only when that FIFO is empty, and are dropped when their small lane is
/// full: the protocol lets them be shed under load, so they never hold up messages or close a socket.
/// </summary>
internal sealed class OutboundQueue : IDisposable
{
    private readonly WebSocket _socket;
    private readonly ConcurrentQueue<Outgoing> _frames = new();
    private readonly ConcurrentQueue<byte[]> _signals = new();
    // One pending wake-up is enough: the loop drains both queues before it waits again.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });
    private readonly SemaphoreSlim _room = new(0, 1);
    private readonly SemaphoreSlim _replyRoom = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _capacity;
    private readonly int _signalCapacity;
    private readonly TimeSpan _stallTimeout;
    private readonly ParleyMetrics _metrics;
    private int _replies;
    private int _events;
    private int _queuedSignals;
    private long _droppedSignals;
    private (int Code, string Reason)? _close;

    public OutboundQueue(WebSocket socket, int capacity, int signalCapacity, TimeSpan stallTimeout, ParleyMetrics metrics)
    {
        _socket = socket;
        _metrics = metrics;
        _capacity = capacity;
        _signalCapacity = signalCapacity;
        _stallTimeout = stallTimeout;
    }

    /// <summary>The close code requested, once a close was requested.</summary>
    public int? CloseCode => _close?.Code;

    /// <summary>Frames waiting to be written, all lanes together.</summary>
    public int Backlog => Volatile.Read(ref _replies) + Volatile.Read(ref _events) + Volatile.Read(ref _queuedSignals);

    /// <summary>Presence and typing frames dropped because their lane was full.</summary>
    public long DroppedSignals => Interlocked.Read(ref _droppedSignals);

    /// <summary>Queues a reply; false when the client has stopped reading its replies (or the socket is closing).</summary>
    public bool TryReply(byte[] frame)
    {
        if (_close is not null) return false;
        if (Interlocked.Increment(ref _replies) > _capacity)
        {
            Interlocked.Decrement(ref _replies);
            return false;
        }
        Enqueue(new Outgoing(frame, IsEvent: false));
        return true;
    }

    /// <summary>
    /// Queues a presence or typing frame behind everything else; false when it was dropped (its lane is full, or
    /// the socket is closing). Never waits and never closes the socket.
    /// </summary>
    public bool TrySignal(byte[] frame)
    {
        if (_close is not null) return false;
        if (Interlocked.Increment(ref _queuedSignals) > _signalCapacity)
        {
            Interlocked.Decrement(ref _queuedSignals);
            Interlocked.Increment(ref _droppedSignals);
            return false;
        }
        _signals.Enqueue(frame);
        _wake.Writer.TryWrite(true);
        return true;
    }

    /// <summary>
    /// Waits until at most <c>capacity - reserve</c> replies are queued, so that the requests about to be
    /// carried out will find room for theirs: a client that does not read its replies is not read either.
    /// False when that did not happen within the stall timeout.
    /// </summary>
    public async ValueTask<bool> WaitForReplyRoomAsync(int reserve, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _replies) > _capacity - reserve)
        {
            if (_close is not null || !await _replyRoom.WaitAsync(_stallTimeout, cancellationToken)) return false;
        }
        return true;
    }

    /// <summary>
    /// Queues an inbox event, waiting while the event lane is full; false when it stayed full for the
    /// stall timeout or the socket is closing. One caller at a time (the connection's delivery loop).
    /// </summary>
    public async ValueTask<bool> EnqueueEventAsync(byte[] frame, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _events) >= _capacity)
        {
            if (_close is not null || !await _room.WaitAsync(_stallTimeout, cancellationToken)) return false;
        }
        if (_close is not null) return false;
        Interlocked.Increment(ref _events);
        Enqueue(new Outgoing(frame, IsEvent: true));
        return true;
    }

    private void Enqueue(Outgoing item)
    {
        _frames.Enqueue(item);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Stops writing queued frames and sends a close frame with <paramref name="code"/>. The first request wins;
    /// false for the later ones.
    /// </summary>
    public bool Close(int code, string reason)
    {
        lock (_stop)
        {
            if (_close is not null) return false;
            _close = (code, reason);
        }
        _wake.Writer.TryComplete();
        _stop.Cancel();
        return true;
    }

    public async Task RunAsync(TimeSpan closeTimeout, CancellationToken aborted)
    {
        try
        {
            while (_close is null)
            {
                if (_frames.TryDequeue(out var item))
                {
                    await _socket.SendAsync(item.Frame, WebSocketMessageType.Text, endOfMessage: true, aborted);
                    _metrics.FrameSent(item.Frame);
                    // Only this loop releases the two semaphores, so neither count passes its maximum of one.
                    if (!item.IsEvent)
                    {
                        Interlocked.Decrement(ref _replies);
                        if (_replyRoom.CurrentCount == 0) _replyRoom.Release();
                    }
                    else if (Interlocked.Decrement(ref _events) < _capacity && _room.CurrentCount == 0)
                    {
                        _room.Release();
                    }
                }
                else if (_signals.TryDequeue(out var signal))
                {
                    Interlocked.Decrement(ref _queuedSignals);
                    await _socket.SendAsync(signal, WebSocketMessageType.Text, endOfMessage: true, aborted);
                    _metrics.FrameSent(signal);
                }
                else if (await _wake.Reader.WaitToReadAsync(_stop.Token))
                {
                    _wake.Reader.TryRead(out _);
                }
                else
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
            return;
        }

        // Read under the lock Close writes it under: the nullable tuple is not written atomically, and a torn read
        // showed a close code of 0 (which CloseOutputAsync refuses).
        (int Code, string Reason)? requested;
        lock (_stop) requested = _close;
        if (requested is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            timeout.CancelAfter(closeTimeout);
            try
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)close.Code, close.Reason, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The peer is gone or not reading; the connection is aborted by its owner anyway.
            }
        }
    }

    public void Dispose()
    {
        _stop.Dispose();
        _room.Dispose();
        _replyRoom.Dispose();
    }

    private readonly record struct Outgoing(byte[] Frame, bool IsEvent);
}

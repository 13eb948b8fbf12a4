using System.Net.WebSockets;
using System.Threading.Channels;

namespace Parley.Server.Gateway;

/// <summary>
/// The one writer of a socket. Everything sent to the client (replies, inbox events, the close frame)
/// goes through it, so no two writes ever overlap. Two bounded lanes share one loop: replies, which must
/// never wait, and inbox events, whose producer waits for room (events are in the store: a socket that
/// stays full is closed with 4409 and catches up when it resumes).
/// </summary>
internal sealed class OutboundQueue : IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<Outgoing> _frames = Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _room = new(0, 1);
    private readonly SemaphoreSlim _replyRoom = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly int _capacity;
    private readonly TimeSpan _stallTimeout;
    private int _replies;
    private int _events;
    private (int Code, string Reason)? _close;

    public OutboundQueue(WebSocket socket, int capacity, TimeSpan stallTimeout)
    {
        _socket = socket;
        _capacity = capacity;
        _stallTimeout = stallTimeout;
    }

    /// <summary>The close code requested, once a close was requested.</summary>
    public int? CloseCode => _close?.Code;

    /// <summary>Queues a reply; false when the client has stopped reading its replies (or the socket is closing).</summary>
    public bool TryReply(byte[] frame)
    {
        if (_close is not null) return false;
        if (Interlocked.Increment(ref _replies) > _capacity)
        {
            Interlocked.Decrement(ref _replies);
            return false;
        }
        return _frames.Writer.TryWrite(new Outgoing(frame, IsEvent: false));
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
        return _frames.Writer.TryWrite(new Outgoing(frame, IsEvent: true));
    }

    /// <summary>Stops writing queued frames and sends a close frame with <paramref name="code"/>. The first request wins.</summary>
    public void Close(int code, string reason)
    {
        lock (_stop)
        {
            if (_close is not null) return;
            _close = (code, reason);
        }
        _frames.Writer.TryComplete();
        _stop.Cancel();
    }

    public async Task RunAsync(TimeSpan closeTimeout, CancellationToken aborted)
    {
        try
        {
            var reader = _frames.Reader;
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (_close is null && reader.TryRead(out var item))
                {
                    await _socket.SendAsync(item.Frame, WebSocketMessageType.Text, endOfMessage: true, aborted);
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
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
            return;
        }

        if (_close is { } close && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
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

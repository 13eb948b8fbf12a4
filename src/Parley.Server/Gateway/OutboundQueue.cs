using System.Net.WebSockets;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>
/// The one writer of a socket. Everything sent to the client (replies, inbox events, presence and typing,
/// the close frame) goes through it, so no two writes ever overlap. Three bounded lanes share one loop:
/// replies, which must never wait, and inbox events, whose producer waits for room (events are in the store:
/// a socket that stays full is closed with 4409 and catches up when it resumes), share one FIFO; signals
/// (presence and typing) are written only when that FIFO is empty, and are dropped when their small lane is
/// full: the protocol lets them be shed under load, so they never hold up messages or close a socket.
/// An idle socket costs little: no loop waits on it; the first frame queued starts one on the thread pool, which
/// writes until the lanes are empty and ends. The lanes and the semaphores exist only while needed.
/// The lanes are bounded in bytes as well as in frames (<c>MaxQueuedBytes</c>, all lanes together): one <c>history</c>
/// reply can be megabytes, so a frame count alone would let a client that stops reading pin gigabytes. A frame is
/// always taken when nothing else is queued, so the largest reply still goes to a client that reads.
/// </summary>
internal sealed class OutboundQueue : IThreadPoolWorkItem, IDisposable
{
    private readonly WebSocket _socket;
    private readonly Lock _lock;
    private readonly int _capacity;
    private readonly int _signalCapacity;
    private readonly long _maxBytes;
    private readonly TimeSpan _stallTimeout;
    private readonly ParleyMetrics _metrics;
    // Guarded by _lock: the lanes (null while empty), whether a writing loop runs, and how it ended.
    private Queue<Outgoing>? _frames;
    private Queue<byte[]>? _signals;
    private bool _started;
    private bool _writing;
    private bool _stopped;
    private TaskCompletionSource? _closed;
    private TimeSpan _closeTimeout;
    private CancellationToken _aborted;
    // Created by the first producer that has to wait; released by the writing loop only, so neither count passes one.
    private SemaphoreSlim? _room;
    private SemaphoreSlim? _replyRoom;
    private int _replies;
    private int _events;
    private int _queuedSignals;
    private long _droppedSignals;
    // Bytes of the frames queued in every lane, the one being written included: they are held until it is written.
    private long _bytes;
    // 0 until a close is requested (close codes are never 0); written under _lock, reason first.
    private int _closeCode;
    private string _closeReason = "";

    /// <param name="sync">The connection's one lock, shared with its other parts (their sections are short and never
    /// wait, and a lock is 40 B per part per connection); a queue of its own when null.</param>
    public OutboundQueue(WebSocket socket, int capacity, int signalCapacity, TimeSpan stallTimeout, ParleyMetrics metrics, long maxBytes, Lock? sync = null)
    {
        _lock = sync ?? new Lock();
        _socket = socket;
        _metrics = metrics;
        _capacity = capacity;
        _signalCapacity = signalCapacity;
        _stallTimeout = stallTimeout;
        _maxBytes = maxBytes;
    }

    /// <summary>The close code requested, once a close was requested.</summary>
    public int? CloseCode => Volatile.Read(ref _closeCode) is var code and not 0 ? code : null;

    private bool Closing => Volatile.Read(ref _closeCode) != 0;

    /// <summary>Frames waiting to be written, all lanes together.</summary>
    public int Backlog => Volatile.Read(ref _replies) + Volatile.Read(ref _events) + Volatile.Read(ref _queuedSignals);

    /// <summary>Bytes of the frames waiting to be written (or being written), all lanes together.</summary>
    public long QueuedBytes => Interlocked.Read(ref _bytes);

    /// <summary>Presence and typing frames dropped because their lane was full.</summary>
    public long DroppedSignals => Interlocked.Read(ref _droppedSignals);

    /// <summary>Completes once the close frame was sent after <see cref="Close"/> (or the socket failed); ask after closing.</summary>
    public Task Completion
    {
        get
        {
            lock (_lock) return ClosedSource().Task;
        }
    }

    /// <summary>Starts writing: what is queued now, and from then on whatever is queued.</summary>
    public void Start(TimeSpan closeTimeout, CancellationToken aborted)
    {
        lock (_lock)
        {
            _closeTimeout = closeTimeout;
            _aborted = aborted;
            _started = true;
            if (!StartWriting()) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// Queues a reply; false when the client has stopped reading its replies (the reply lane is full, or the reply would
    /// take the queued bytes past <c>MaxQueuedBytes</c>), or the socket is closing.
    /// </summary>
    public bool TryReply(byte[] frame)
    {
        if (Closing) return false;
        if (Interlocked.Increment(ref _replies) > _capacity)
        {
            Interlocked.Decrement(ref _replies);
            return false;
        }
        if (!TryTakeBytes(frame.Length))
        {
            Interlocked.Decrement(ref _replies);
            return false;
        }
        Enqueue(new Outgoing(frame, IsEvent: false));
        return true;
    }

    /// <summary>Counts <paramref name="length"/> more bytes as queued unless that passes the cap with other frames already queued.</summary>
    private bool TryTakeBytes(int length)
    {
        var total = Interlocked.Add(ref _bytes, length);
        if (total <= _maxBytes || total == length) return true;
        Interlocked.Add(ref _bytes, -length);
        return false;
    }

    /// <summary>
    /// Queues a presence or typing frame behind everything else; false when it was dropped (its lane is full, or
    /// the socket is closing). Never waits and never closes the socket.
    /// </summary>
    public bool TrySignal(byte[] frame)
    {
        if (Closing) return false;
        if (Interlocked.Increment(ref _queuedSignals) > _signalCapacity || !TryTakeBytes(frame.Length))
        {
            Interlocked.Decrement(ref _queuedSignals);
            Interlocked.Increment(ref _droppedSignals);
            return false;
        }
        lock (_lock)
        {
            (_signals ??= new Queue<byte[]>()).Enqueue(frame);
            if (!StartWriting()) return true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    /// <summary>
    /// Waits until at most <c>capacity - reserve</c> replies are queued and the queued bytes are under the cap, so
    /// that the requests about to be carried out will find room for theirs: a client that does not read its replies
    /// is not read either. False when that did not happen within the stall timeout.
    /// </summary>
    public async ValueTask<bool> WaitForReplyRoomAsync(int reserve, CancellationToken cancellationToken)
    {
        while (!HasReplyRoom(reserve))
        {
            if (Closing) return false;
            var room = Semaphore(ref _replyRoom);
            // The writer may have made room before the semaphore existed, without releasing it.
            if (HasReplyRoom(reserve)) break;
            if (!await room.WaitAsync(_stallTimeout, cancellationToken)) return false;
        }
        return true;
    }

    private bool HasReplyRoom(int reserve) => Volatile.Read(ref _replies) <= _capacity - reserve && Interlocked.Read(ref _bytes) < _maxBytes;

    /// <summary>Whether an event of <paramref name="length"/> bytes fits now: the event lane has a slot and the bytes stay under the cap (or nothing else is queued).</summary>
    private bool HasEventRoom(int length)
    {
        if (Volatile.Read(ref _events) >= _capacity) return false;
        var bytes = Interlocked.Read(ref _bytes);
        return bytes == 0 || bytes + length <= _maxBytes;
    }

    /// <summary>
    /// Queues an inbox event, waiting while the event lane is full; false when it stayed full for the
    /// stall timeout or the socket is closing. One caller at a time (the connection's delivery loop).
    /// </summary>
    public async ValueTask<bool> EnqueueEventAsync(byte[] frame, CancellationToken cancellationToken)
    {
        while (!HasEventRoom(frame.Length))
        {
            if (Closing) return false;
            var room = Semaphore(ref _room);
            if (HasEventRoom(frame.Length)) break;
            if (!await room.WaitAsync(_stallTimeout, cancellationToken)) return false;
        }
        if (Closing) return false;
        Interlocked.Increment(ref _events);
        // Replies and signals may have taken bytes since the check: an event still goes (it was waited for, and the
        // replies that raced it are bounded by the reader's reserve), so the cap can be passed by those few frames.
        Interlocked.Add(ref _bytes, frame.Length);
        Enqueue(new Outgoing(frame, IsEvent: true));
        return true;
    }

    /// <summary>
    /// Queues an inbox event if the event lane has room now, never waiting; false otherwise (the caller then waits in
    /// <see cref="EnqueueEventAsync"/>). One caller at a time (the connection's delivery).
    /// </summary>
    /// <remarks>
    /// The writing loop still starts on the thread pool, not on the caller's thread: started inline (measured), each
    /// frame of a group's fan-out reached the socket alone, and the server made twice the <c>sendto</c> calls and
    /// context switches per delivery; from the pool, the frames queued meanwhile go out together.
    /// </remarks>
    public bool TryEnqueueEvent(byte[] frame)
    {
        if (Closing || !HasEventRoom(frame.Length)) return false;
        Interlocked.Increment(ref _events);
        Interlocked.Add(ref _bytes, frame.Length);
        Enqueue(new Outgoing(frame, IsEvent: true));
        return true;
    }

    private static SemaphoreSlim Semaphore(ref SemaphoreSlim? field)
    {
        if (Volatile.Read(ref field) is { } existing) return existing;
        var created = new SemaphoreSlim(0, 1);
        // A full fence: either the writer sees the semaphore after freeing room, or the caller sees the room.
        var raced = Interlocked.CompareExchange(ref field, created, null);
        if (raced is null) return created;
        created.Dispose();
        return raced;
    }

    private static void Release(SemaphoreSlim? room)
    {
        if (room is { CurrentCount: 0 }) room.Release();
    }

    private void Enqueue(Outgoing item)
    {
        lock (_lock)
        {
            (_frames ??= new Queue<Outgoing>()).Enqueue(item);
            if (!StartWriting()) return;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>Under the lock: whether the caller is to start the writing loop (there is none, and there may be work).</summary>
    private bool StartWriting()
    {
        if (!_started || _writing || _stopped) return false;
        _writing = true;
        return true;
    }

    /// <summary>
    /// Stops writing queued frames and sends a close frame with <paramref name="code"/>. The first request wins;
    /// false for the later ones.
    /// </summary>
    public bool Close(int code, string reason)
    {
        lock (_lock)
        {
            if (_closeCode != 0) return false;
            _closeReason = reason;
            Volatile.Write(ref _closeCode, code);
            if (_stopped) ClosedSource().TrySetResult();
            if (!StartWriting()) return true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return true;
    }

    private TaskCompletionSource ClosedSource() => _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    void IThreadPoolWorkItem.Execute() => _ = WriteAsync();

    /// <summary>The writing loop: until the lanes are empty (then it ends) or a close is requested (then it sends the close frame).</summary>
    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                Outgoing item;
                bool signal;
                lock (_lock)
                {
                    if (_closeCode != 0) break;
                    if (_frames is { Count: > 0 } frames)
                    {
                        item = frames.Dequeue();
                        signal = false;
                    }
                    else if (_signals is { Count: > 0 } signals)
                    {
                        item = new Outgoing(signals.Dequeue(), IsEvent: false);
                        signal = true;
                    }
                    else
                    {
                        // Idle: nothing kept but the queue itself.
                        _frames = null;
                        _signals = null;
                        _writing = false;
                        return;
                    }
                }
                if (signal) Interlocked.Decrement(ref _queuedSignals);
                await _socket.SendAsync(item.Frame, WebSocketMessageType.Text, endOfMessage: true, _aborted);
                _metrics.FrameSent(item.Frame);
                Interlocked.Add(ref _bytes, -item.Frame.Length);
                if (!signal && !item.IsEvent) Interlocked.Decrement(ref _replies);
                else if (!signal) Interlocked.Decrement(ref _events);
                // Any frame written frees bytes, which either producer may be waiting for; each re-checks its own room.
                Release(Volatile.Read(ref _replyRoom));
                Release(Volatile.Read(ref _room));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            Stop();
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Stop(ex);
            return;
        }

        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborted);
            timeout.CancelAfter(_closeTimeout);
            try
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)_closeCode, _closeReason, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The peer is gone or not reading; the connection is aborted by its owner anyway.
            }
        }
        Stop();
    }

    /// <summary>No more writing: the socket failed or is closed. A close requested (now or later) is complete.</summary>
    private void Stop(Exception? failure = null)
    {
        lock (_lock)
        {
            _stopped = true;
            _frames = null;
            _signals = null;
            // What was queued is dropped with the lanes.
            Interlocked.Exchange(ref _bytes, 0);
            if (failure is not null) ClosedSource().TrySetException(failure);
            else if (_closeCode != 0) ClosedSource().TrySetResult();
        }
    }

    public void Dispose()
    {
        _room?.Dispose();
        _replyRoom?.Dispose();
    }

    private readonly record struct Outgoing(byte[] Frame, bool IsEvent);
}

namespace ConnRelay;

/// <summary>
/// One socket's outgoing side. Frames from other sockets (and the socket's own pongs and close) queue here and are
/// written one at a time by a drain that exists only while there is something to write: an idle socket holds no
/// queue, no writer loop and no pending await on this side, only these four fields.
/// </summary>
internal abstract class RelayPeer
{
    private Queue<OutboundFrame>? _queue;
    private TaskCompletionSource? _drained;
    private bool _draining;
    private bool _closed;

    /// <summary>Queues a text message (dropped once the close is queued or the socket failed).</summary>
    public void Send(byte[] text) => Enqueue(new OutboundFrame(Opcode.Text, text), closing: false);

    /// <summary>Queues the close frame after whatever is queued; nothing is queued after it.</summary>
    public void SendClose(byte[] payload) => Enqueue(new OutboundFrame(Opcode.Close, payload), closing: true);

    /// <summary>Takes nothing more and drops what is queued: the connection is gone.</summary>
    public void Abandon()
    {
        lock (this)
        {
            _closed = true;
            _queue?.Clear();
        }
    }

    protected void SendControl(Opcode opcode, byte[] payload) => Enqueue(new OutboundFrame(opcode, payload), closing: false);

    /// <summary>Writes one frame; false when the transport is gone.</summary>
    protected abstract ValueTask<bool> WriteAsync(OutboundFrame frame);

    /// <summary>Completes once everything queued so far has been written (or could not be).</summary>
    public Task SentAsync()
    {
        // Locking the peer itself: it is never exposed to other code, and an uncontended lock on it costs no memory.
        lock (this)
        {
            if (!_draining) return Task.CompletedTask;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    private void Enqueue(OutboundFrame frame, bool closing)
    {
        lock (this)
        {
            if (_closed) return;
            _closed = closing;
            (_queue ??= new Queue<OutboundFrame>()).Enqueue(frame);
            if (_draining) return;
            _draining = true;
        }
        // Runs inline until its first write that has to wait; then it continues on the thread pool.
        _ = DrainAsync();
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            OutboundFrame frame;
            TaskCompletionSource? drained;
            lock (this)
            {
                if (_queue is { Count: > 0 } queue)
                {
                    frame = queue.Dequeue();
                    drained = null;
                }
                else
                {
                    (_queue, _draining, drained, _drained) = (null, false, _drained, null);
                    frame = default;
                }
            }
            if (frame.Payload is null)
            {
                drained?.TrySetResult();
                return;
            }
            if (!await WriteAsync(frame))
            {
                // The transport is gone: drop what is queued and take nothing more.
                lock (this)
                {
                    _closed = true;
                    _queue?.Clear();
                }
            }
        }
    }
}

using System.Globalization;
using Parley.Protocol;
using Parley.Protocol.Client;

namespace Parley.Client.Outbox;

/// <summary>
/// The outbox: every request from the moment it is issued until its reply, in issue order. While a connection
/// is live, new requests go straight to its writer; when a connection is attached, every pending request is
/// queued on it first, in the original order, so that re-sent messages keep their order and their cid.
/// Synchronous under one lock (no await inside), which orders "attach" against "add".
/// </summary>
internal sealed class RequestTable
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, PendingRequest> _pending = [];
    private readonly TimeProvider _time;
    private IRequestSink? _sink;
    private Func<Exception>? _closed;
    private long _next;

    public RequestTable(TimeProvider time) => _time = time;

    /// <summary>How many requests wait for a reply.</summary>
    public int Count
    {
        get { lock (_gate) return _pending.Count; }
    }

    /// <summary>Registers a request and, when a connection is live, queues it there.</summary>
    /// <param name="frame">Builds the frame for the request id it is given.</param>
    /// <param name="resendable">Whether it may be re-sent after a reconnect.</param>
    /// <param name="maxFrameBytes">The server's frame limit, or 0 when not known yet.</param>
    /// <exception cref="ParleyException"><c>too_large</c>: the frame would close the socket.</exception>
    public PendingRequest Add(Func<string, byte[]> frame, bool resendable, int maxFrameBytes)
    {
        lock (_gate)
        {
            if (_closed is not null) throw _closed();
            var order = ++_next;
            var rid = order.ToString(CultureInfo.InvariantCulture);
            var bytes = frame(rid);
            if (maxFrameBytes > 0 && bytes.Length > maxFrameBytes)
            {
                throw new ParleyException(ErrorCodes.TooLarge, $"the frame is {bytes.Length} bytes, over the server's limit of {maxFrameBytes}");
            }
            var request = new PendingRequest(order, rid, bytes, resendable);
            _pending.Add(order, request);
            _sink?.Enqueue(request);
            return request;
        }
    }

    /// <summary>A connection was welcomed: queue every pending request on it, oldest first, then route new ones there.</summary>
    public void Attach(IRequestSink sink)
    {
        lock (_gate)
        {
            _sink = sink;
            foreach (var request in _pending.Values) sink.Enqueue(request);
        }
    }

    /// <summary>
    /// A connection ended. Requests it wrote that are not safe to repeat fail with <see cref="ParleyConnectionLostException"/>;
    /// the others stay for the next connection.
    /// </summary>
    public void Detach(IRequestSink sink)
    {
        List<PendingRequest>? lost = null;
        lock (_gate)
        {
            if (ReferenceEquals(_sink, sink)) _sink = null;
            foreach (var request in _pending.Values)
            {
                if (!request.Resendable && request.WrittenOn == sink.Id) (lost ??= []).Add(request);
            }
            if (lost is not null) foreach (var request in lost) _pending.Remove(request.Order);
        }
        if (lost is null) return;
        foreach (var request in lost) request.Completion.TrySetException(new ParleyConnectionLostException());
    }

    /// <summary>The writer is about to write <paramref name="request"/> on connection <paramref name="sinkId"/>. False when it no longer waits (answered or cancelled).</summary>
    public bool MarkWritten(PendingRequest request, long sinkId)
    {
        lock (_gate)
        {
            if (!_pending.ContainsKey(request.Order)) return false;
            request.WrittenOn = sinkId;
            request.WrittenAt = _time.GetTimestamp();
            return true;
        }
    }

    /// <summary>How long the oldest request written on connection <paramref name="sinkId"/> has waited, or null when none waits.</summary>
    public TimeSpan? OldestWait(long sinkId)
    {
        long? oldest = null;
        lock (_gate)
        {
            foreach (var request in _pending.Values)
            {
                if (request.WrittenOn == sinkId && (oldest is null || request.WrittenAt < oldest)) oldest = request.WrittenAt;
            }
        }
        return oldest is { } at ? _time.GetElapsedTime(at) : null;
    }

    /// <summary>An <c>ok</c> came.</summary>
    public void Complete(OkFrame ok)
    {
        if (Take(ok.Rid) is { } request) request.Completion.TrySetResult(ok);
    }

    /// <summary>An <c>error</c> came.</summary>
    public void Fail(ErrorFrame error)
    {
        if (Take(error.Rid) is { } request) request.Completion.TrySetException(new ParleyException(error.Code, error.Message, error.RetryAfterMs));
    }

    /// <summary>The caller gave up on <paramref name="request"/>.</summary>
    public void Cancel(PendingRequest request, CancellationToken cancellationToken)
    {
        lock (_gate) _pending.Remove(request.Order);
        request.Completion.TrySetCanceled(cancellationToken);
    }

    /// <summary>Fails every pending request and every later one with what <paramref name="error"/> makes (the client stopped).</summary>
    public void Close(Func<Exception> error)
    {
        List<PendingRequest> all;
        lock (_gate)
        {
            _closed ??= error;
            _sink = null;
            all = [.. _pending.Values];
            _pending.Clear();
        }
        foreach (var request in all) request.Completion.TrySetException(error());
    }

    private PendingRequest? Take(string? rid)
    {
        if (rid is null || !long.TryParse(rid, NumberStyles.None, CultureInfo.InvariantCulture, out var order)) return null;
        lock (_gate) return _pending.Remove(order, out var request) ? request : null;
    }
}

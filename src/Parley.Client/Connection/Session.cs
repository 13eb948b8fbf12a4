using System.Text.Json;
using System.Threading.Channels;
using Parley.Client.Inbox;
using Parley.Client.Outbox;
using Parley.Client.Transport;
using Parley.Protocol.Client;

namespace Parley.Client.Connection;

/// <summary>
/// One welcomed connection: a reader loop (replies to the request table, events to the dispatcher), a single
/// writer loop (requests, coalesced acks, the closing handshake) and a watchdog that gives up on the connection
/// when a written request waits longer than the request timeout.
/// </summary>
internal sealed class Session : IRequestSink
{
    private static readonly object AckSignal = new();
    private static readonly object CloseSignal = new();
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);

    private readonly Channel<object> _writes = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IWebSocketTransport _transport;
    private readonly RequestTable _requests;
    private readonly EventDispatcher _events;
    private readonly InboxCursor _cursor;
    private readonly TimeProvider _time;
    private readonly TimeSpan _requestTimeout;
    private int _ackQueued;
    private long _ackSent;
    private volatile bool _closing;
    private SessionEnd? _end;

    public Session(
        long id, IWebSocketTransport transport, RequestTable requests, EventDispatcher events, InboxCursor cursor,
        TimeProvider time, TimeSpan requestTimeout, long ackedByHello)
    {
        Id = id;
        _transport = transport;
        _requests = requests;
        _events = events;
        _cursor = cursor;
        _time = time;
        _requestTimeout = requestTimeout;
        _ackSent = ackedByHello;
    }

    public long Id { get; }

    public void Enqueue(PendingRequest request) => _writes.Writer.TryWrite(request);

    /// <summary>Queues a frame that needs no reply (set-up frames re-sent on every connection).</summary>
    public void Enqueue(byte[] frame) => _writes.Writer.TryWrite(frame);

    /// <summary>Asks for an ack of the processed mark; many requests before the writer gets to it make one frame.</summary>
    public void RequestAck()
    {
        if (Interlocked.Exchange(ref _ackQueued, 1) == 0) _writes.Writer.TryWrite(AckSignal);
    }

    /// <summary>Ends the connection politely: the last ack, then the close handshake.</summary>
    public void BeginClose() => _writes.Writer.TryWrite(CloseSignal);

    public async Task<SessionEnd> RunAsync(CancellationToken stop)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var reader = ReadLoopAsync(cts.Token);
        var writer = WriteLoopAsync(cts.Token);
        var watchdog = WatchdogAsync(cts.Token);
        var first = await Task.WhenAny(reader, writer, watchdog);
        if (first == writer && _closing)
        {
            // Our close frame is out: give the server a moment to answer it, so that it sees a clean close.
            await reader.WaitAsync(CloseHandshakeTimeout, _time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await cts.CancelAsync();
        _transport.Abort();
        _writes.Writer.TryComplete();
        await Task.WhenAll(reader, writer, watchdog).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return _end ?? new SessionEnd(null, first.Exception?.GetBaseException().Message ?? (_closing ? "closed by the client" : "the connection ended"));
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await _transport.ReceiveAsync(cancellationToken);
            if (message.Frame is null)
            {
                _end = new SessionEnd(message.CloseStatus, message.CloseDescription);
                return;
            }
            ServerFrame frame;
            try
            {
                frame = ServerFrameReader.Read(message.Frame);
            }
            catch (JsonException e)
            {
                // A frame we cannot read may be an inbox event: skipping it could lose it for good, so the
                // connection is dropped and the replay after the reconnect tries again.
                _end = new SessionEnd(null, "malformed frame from the server: " + e.Message);
                return;
            }
            switch (frame)
            {
                case OkFrame ok:
                    _requests.Complete(ok);
                    break;
                case ErrorFrame error:
                    _requests.Fail(error);
                    break;
                case WelcomeFrame:
                    break;
                default:
                    _events.Post(frame);
                    break;
            }
        }
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        await foreach (var item in _writes.Reader.ReadAllAsync(cancellationToken))
        {
            switch (item)
            {
                case PendingRequest request:
                    if (_requests.MarkWritten(request, Id)) await _transport.SendAsync(request.Frame, cancellationToken);
                    break;
                case byte[] frame:
                    await _transport.SendAsync(frame, cancellationToken);
                    break;
                default:
                    if (ReferenceEquals(item, AckSignal))
                    {
                        // Cleared before the mark is read: a request made after this point queues a new signal.
                        Volatile.Write(ref _ackQueued, 0);
                        await WriteAckAsync(cancellationToken);
                    }
                    else if (ReferenceEquals(item, CloseSignal))
                    {
                        await WriteAckAsync(cancellationToken);
                        _closing = true;
                        await _transport.CloseOutputAsync(cancellationToken);
                        return;
                    }
                    break;
            }
        }
    }

    private async ValueTask WriteAckAsync(CancellationToken cancellationToken)
    {
        var processed = _cursor.Processed;
        if (processed <= _ackSent) return;
        _ackSent = processed;
        await _transport.SendAsync(ClientFrameWriter.Ack(processed), cancellationToken);
    }

    private async Task WatchdogAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(_requestTimeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
        while (true)
        {
            await Task.Delay(period, _time, cancellationToken);
            if (_requests.OldestWait(Id) > _requestTimeout)
            {
                _end = new SessionEnd(null, $"no reply within the request timeout ({_requestTimeout.TotalSeconds:0.###} s)");
                return;
            }
        }
    }
}

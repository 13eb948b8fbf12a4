using System.Net.WebSockets;
using System.Threading.Channels;

namespace Parley.Server.Gateway;

/// <summary>
/// The one writer of a socket: a bounded queue of finished frames and the loop that writes them.
/// Everything sent to the client (replies, inbox events, the close frame) goes through it, so no two
/// writes ever overlap.
/// </summary>
internal sealed class OutboundQueue : IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _frames;
    private readonly CancellationTokenSource _stop = new();
    private (int Code, string Reason)? _close;

    public OutboundQueue(WebSocket socket, int capacity)
    {
        _socket = socket;
        _frames = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The close code requested, once a close was requested.</summary>
    public int? CloseCode => _close?.Code;

    /// <summary>Queues a frame; false when the queue is full (the caller closes the socket) or closing.</summary>
    public bool TryEnqueue(byte[] frame) => _close is null && _frames.Writer.TryWrite(frame);

    /// <summary>Waits until there is room in the queue (for catch-up, which may send many events).</summary>
    public ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) => _frames.Writer.WaitToWriteAsync(cancellationToken);

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

    public void Dispose() => _stop.Dispose();

    public async Task RunAsync(TimeSpan closeTimeout, CancellationToken aborted)
    {
        try
        {
            var reader = _frames.Reader;
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                while (reader.TryRead(out var frame))
                {
                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, aborted);
                    if (_close is not null) break;
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
}

using System.Buffers;
using System.Net;
using System.Net.WebSockets;

namespace Parley.Client.Transport;

/// <summary>The transport over <see cref="ClientWebSocket"/>.</summary>
internal sealed class WebSocketTransport : IWebSocketTransport
{
    /// <summary>Larger incoming frames are a broken server: the connection is dropped rather than memory spent.</summary>
    private const int MaxIncomingFrameBytes = 64 * 1024 * 1024;

    private readonly ClientWebSocket _socket = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public WebSocketTransport(TimeSpan keepAlive)
    {
        _socket.Options.KeepAliveInterval = keepAlive;
        if (keepAlive > TimeSpan.Zero) _socket.Options.KeepAliveTimeout = keepAlive;
        // For a refused upgrade's status and Retry-After (a server that is behind answers 503 and when to come back).
        _socket.Options.CollectHttpResponseDetails = true;
    }

    public async Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.ConnectAsync(uri, cancellationToken);
        }
        catch (WebSocketException e) when (_socket.HttpStatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
        {
            var retryAfter = _socket.HttpResponseHeaders?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
            throw new UpgradeRefusedException((int)_socket.HttpStatusCode, UpgradeRefusedException.ParseRetryAfter(retryAfter, DateTimeOffset.UtcNow), e);
        }
        finally
        {
            // Kept only to read a refusal: a connected socket holds no copy of the response headers.
            _socket.HttpResponseHeaders = null;
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) =>
        _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public async ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.GetMemory(8 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportMessage.Closed((int?)_socket.CloseStatus, _socket.CloseStatusDescription);
            }
            _buffer.Advance(result.Count);
            if (_buffer.WrittenCount > MaxIncomingFrameBytes) throw new WebSocketException("the server sent a frame over 64 MiB");
            if (result.EndOfMessage) return new TransportMessage(_buffer.WrittenSpan.ToArray(), null, null);
        }
    }

    public Task CloseOutputAsync(CancellationToken cancellationToken) =>
        _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cancellationToken);

    public void Abort() => _socket.Abort();

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

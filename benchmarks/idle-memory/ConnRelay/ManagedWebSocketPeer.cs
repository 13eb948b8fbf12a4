using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace ConnRelay;

/// <summary>
/// Variant <c>ws</c>: ManagedWebSocket over the transport's pipes. While idle the socket waits in a zero-byte receive,
/// as the kit's relay does; a message is read into a pooled buffer that is given back once it is routed.
/// ManagedWebSocket answers pings and fails the socket on protocol errors (1002, 1007) by itself.
/// </summary>
internal sealed class ManagedWebSocketPeer(WebSocket socket) : RelayPeer
{
    private const int FirstBufferBytes = 4096;

    /// <summary>Reads and routes messages until the socket closes.</summary>
    /// <returns>The close code to answer with (the peer's own, or 1009), or null when the socket was lost.</returns>
    public async Task<WebSocketCloseStatus?> ReceiveAsync(Relay relay, int maxMessageBytes, CancellationToken cancellationToken)
    {
        var pool = ArrayPool<byte>.Shared;
        try
        {
            while (true)
            {
                // Wait for the next frame without holding a buffer, so an idle socket stays small.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                if (peek.MessageType == WebSocketMessageType.Close) return socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
                if (peek.EndOfMessage) continue;  // an empty message routes nowhere (as in the kit's relay)
                var buffer = pool.Rent(FirstBufferBytes);
                try
                {
                    var length = 0;
                    ValueWebSocketReceiveResult received;
                    do
                    {
                        if (length == buffer.Length)
                        {
                            if (length >= maxMessageBytes + 1) return WebSocketCloseStatus.MessageTooBig;
                            var bigger = pool.Rent(Math.Min(buffer.Length * 2, maxMessageBytes + 1));
                            buffer.AsSpan(0, length).CopyTo(bigger);
                            pool.Return(buffer);
                            buffer = bigger;
                        }
                        received = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                        length += received.Count;
                        if (length > maxMessageBytes) return WebSocketCloseStatus.MessageTooBig;
                    }
                    while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                    if (received.MessageType == WebSocketMessageType.Close) return socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure;
                    relay.Route(this, buffer.AsSpan(0, length));
                }
                finally
                {
                    pool.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Queues the close (after what is queued) with this code.</summary>
    public void Close(WebSocketCloseStatus code)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        SendClose(payload);
    }

    /// <summary>After a close of our own: reads (and drops) until the peer's close comes back, within the timeout.</summary>
    public async Task AwaitPeerCloseAsync(TimeSpan timeout)
    {
        if (socket.State != WebSocketState.CloseSent) return;
        using var deadline = new CancellationTokenSource(timeout);
        var scratch = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        try
        {
            while ((await socket.ReceiveAsync(scratch.AsMemory(), deadline.Token)).MessageType != WebSocketMessageType.Close)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // It did not answer in time, or broke the socket: the connection is cut either way.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    protected override async ValueTask<bool> WriteAsync(OutboundFrame frame)
    {
        try
        {
            if (frame.Opcode == Opcode.Close)
            {
                // A close frame's payload: the code, then the reason in UTF-8 (none here).
                var code = (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(frame.Payload);
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(code, frame.Payload.Length > 2 ? Encoding.UTF8.GetString(frame.Payload, 2, frame.Payload.Length - 2) : null, CancellationToken.None);
                }
                return true;
            }
            await socket.SendAsync(frame.Payload, frame.Opcode == Opcode.Text ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
    }
}

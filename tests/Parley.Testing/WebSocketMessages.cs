using System.Net.WebSockets;

namespace Parley.Testing;

/// <summary>Whole WebSocket messages, for the test clients that read raw frames.</summary>
public static class WebSocketMessages
{
    /// <summary>
    /// Reads one message into <paramref name="buffer"/>: its length, and the result of its last frame (a Close when
    /// the peer closed).
    /// </summary>
    public static async Task<(int Length, WebSocketReceiveResult Last)> ReceiveAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), cancellationToken);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
        return (length, result);
    }
}

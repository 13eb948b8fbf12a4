using System.Net.WebSockets;
using System.Text;
using Parley.Testing;

namespace Parley.Faults.Tests.Support;

/// <summary>
/// A raw socket that says hello and then sends whatever bytes it is given, draining (and ignoring) what the server
/// answers; it notes how the server closed it.
/// </summary>
internal sealed class FuzzSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private Task? _drain;

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public bool IsOpen => _socket.State == WebSocketState.Open && CloseStatus is null;

    public static async Task<FuzzSocket> ConnectAsync(Uri uri, string token)
    {
        var socket = new FuzzSocket();
        await socket._socket.ConnectAsync(uri, CancellationToken.None).Within();
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"hello","token":"{{token}}"}"""), WebSocketMessageType.Text);
        socket._drain = socket.DrainAsync();
        return socket;
    }

    /// <summary>False when the socket is no longer open (the server closed it).</summary>
    public async Task<bool> SendAsync(byte[] frame, WebSocketMessageType type)
    {
        if (!IsOpen) return false;
        try
        {
            await _socket.SendAsync(frame, type, true, CancellationToken.None).Within(TimeSpan.FromSeconds(20));
            return true;
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    private async Task DrainAsync()
    {
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            CloseStatus ??= WebSocketCloseStatus.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_drain is not null) await _drain.Within();
        _socket.Dispose();
    }
}

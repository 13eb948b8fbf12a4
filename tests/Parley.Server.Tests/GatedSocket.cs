using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Parley.Server.Tests;

/// <summary>A socket whose first send completes only when the test opens the gate; it records what was sent.</summary>
internal sealed class GatedSocket : WebSocket
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _sends;

    public Channel<string> Sent { get; } = Channel.CreateUnbounded<string>();

    public void Open() => _gate.TrySetResult();

    public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        Sent.Writer.TryWrite(Encoding.UTF8.GetString(buffer));
        if (Interlocked.Increment(ref _sends) == 1) await _gate.Task.WaitAsync(cancellationToken);
    }

    public override WebSocketCloseStatus? CloseStatus => null;
    public override string? CloseStatusDescription => null;
    public override WebSocketState State => WebSocketState.Open;
    public override string? SubProtocol => null;
    public override void Abort() { }
    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Dispose() { }
    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) => throw new NotSupportedException();
}

using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Protocol.Requests;
using Parley.Server.Auth;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>What the handshake established: the client's <c>hello</c> and the device its token belongs to.</summary>
internal sealed record Handshake(HelloRequest Hello, DeviceSession Device);

/// <summary>
/// The first phase of a socket: one <c>hello</c> within <c>HelloTimeout</c>, and its token checked. There is no
/// writer yet, so when the hello is missing, malformed or not authorised this phase closes the socket itself.
/// What it holds ends with it; the live <see cref="Connection"/> starts from its <see cref="Handshake"/>.
/// </summary>
internal sealed class ConnectionHandshake(DeviceAuthenticator authenticator, IOptions<GatewayOptions> gateway, ParleyMetrics metrics, TimeProvider time)
{
    private readonly GatewayOptions _gateway = gateway.Value;

    /// <summary>The hello and its device, or null once the socket has been closed (or was lost) before a welcome.</summary>
    public async Task<Handshake?> RunAsync(WebSocket socket, FrameReader frames)
    {
        // Cancels a read still pending when the handshake gives up (a hello that never came).
        using var aborted = new CancellationTokenSource();
        var hello = await ReceiveHelloAsync(socket, frames, aborted);
        if (hello is null) return null;

        var device = await authenticator.AuthenticateAsync(hello.Token, aborted.Token);
        if (device is not null) return new Handshake(hello, device);
        await CloseAsync(socket, frames, aborted, CloseCodes.Unauthorized, "invalid or revoked token");
        return null;
    }

    private async Task<HelloRequest?> ReceiveHelloAsync(WebSocket socket, FrameReader frames, CancellationTokenSource aborted)
    {
        var read = frames.ReadAsync(aborted.Token).AsTask();
        FrameReadStatus status;
        try
        {
            // WaitAsync drops its timer once the hello is in: a connected socket keeps no timer for the hello timeout.
            status = await read.WaitAsync(_gateway.HelloTimeout, time);
        }
        catch (TimeoutException)
        {
            await CloseAsync(socket, frames, aborted, CloseCodes.HelloTimeout, "no hello in time", read);
            return null;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return null;
        }
        switch (status)
        {
            case FrameReadStatus.Closed:
                return null;
            case FrameReadStatus.TooLarge:
                await CloseAsync(socket, frames, aborted, CloseCodes.FrameTooLarge, "frame too large");
                return null;
        }
        if (status == FrameReadStatus.Text && ClientFrameParser.TryParse(frames.Frame, out var request, out _) && request is HelloRequest hello)
        {
            metrics.FrameReceived(hello.Type);
            return hello;
        }
        await CloseAsync(socket, frames, aborted, CloseCodes.Unauthorized, "the first frame must be a valid hello");
        return null;
    }

    /// <summary>Sends the close frame and waits briefly for the client's; then cancels whatever read is still pending.</summary>
    private async Task CloseAsync(WebSocket socket, FrameReader frames, CancellationTokenSource aborted, int code, string reason,
        Task<FrameReadStatus>? pendingRead = null)
    {
        using var timeout = new CancellationTokenSource(_gateway.CloseTimeout);
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            var read = pendingRead ?? frames.ReadAsync(timeout.Token).AsTask();
            await read.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client broke the socket or did not answer the close in time: the socket is done either way, and
            // the endpoint aborts what is left of it.
        }
        finally
        {
            await aborted.CancelAsync();
        }
    }
}

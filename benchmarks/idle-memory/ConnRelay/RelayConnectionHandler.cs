using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;

namespace ConnRelay;

/// <summary>
/// One connection from accept to close: the upgrade request read from the transport, the 101 (or a 400, or the
/// stats), then the socket held as a WebSocket in the chosen variant until it closes. Kestrel keeps only its transport
/// connection (the socket, its two pipes) underneath; nothing of HTTP outlives the handshake.
/// </summary>
internal sealed class RelayConnectionHandler(Relay relay, RelaySettings settings)
{
    /// <summary>Connection middleware: takes a GET of /ws (and /stats); hands anything else to <paramref name="next"/>, Kestrel's HTTP/1.1.</summary>
    public async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var user = await HandshakeAsync(connection.Transport);
        if (user is null) return;
        if (ReferenceEquals(user, ToHttp))
        {
            await next(connection);
            return;
        }
        if (settings.Mode == RelayMode.Raw) await HoldRawAsync(connection, user);
        else await HoldManagedAsync(connection, user);
    }

    /// <summary>What <see cref="HandshakeAsync"/> returns for a request that is not ours (compared by reference).</summary>
    private static readonly string ToHttp = new('-', 1);

    /// <summary>
    /// Reads the request and answers it: the user name once the 101 is written; <see cref="ToHttp"/> for a request to
    /// leave to HTTP; else null (the connection then ends).
    /// </summary>
    /// <remarks>A method of its own so that nothing of the request (its head, the accept key) stays referenced from the
    /// state machine that holds the socket afterwards.</remarks>
    private async Task<string?> HandshakeAsync(IDuplexPipe transport)
    {
        try
        {
            using var handshake = new CancellationTokenSource(settings.HandshakeTimeout);
            var request = await UpgradeRequest.ReadAsync(transport.Input, handshake.Token);
            if (request is null) return null;
            switch (request.Kind)
            {
                case RequestKind.Upgrade:
                    await HttpResponses.SwitchingProtocolsAsync(transport.Output, request.AcceptKey, handshake.Token);
                    return request.User;
                case RequestKind.Rejected:
                    await HttpResponses.BadRequestAsync(transport.Output, request.Problem, handshake.Token);
                    return null;
                case RequestKind.Http:
                    return ToHttp;
                case RequestKind.Stats:
                    await HttpResponses.OkAsync(transport.Output, MemoryStats.Describe(relay, request.CollectFirst), handshake.Token);
                    return null;
                default:
                    return null;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return null;  // gone, or too slow to finish its upgrade request
        }
    }

    private async Task HoldRawAsync(ConnectionContext connection, string user)
    {
        var peer = new RawWebSocketPeer(connection.Transport, relay, settings.MaxMessageBytes);
        relay.Attach(user, peer);
        // No cancellation token for the reads: one would register a callback per pending read (memory per idle socket),
        // and the pipe ends the read anyway when the connection closes or is aborted.
        var outcome = await peer.ReceiveAsync(CancellationToken.None);
        relay.Detach(user, peer);
        if (outcome == ReceiveOutcome.Lost) peer.Abandon();
        await FinishSendingAsync(connection, peer);
        if (outcome == ReceiveOutcome.Failed) await peer.LingerAsync(settings.CloseTimeout);
    }

    private async Task HoldManagedAsync(ConnectionContext connection, string user)
    {
        using var stream = new DuplexPipeStream(connection.Transport);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            // As in the kit's relay (and hold.js never pings): no keep-alive timer per socket.
            KeepAliveInterval = TimeSpan.Zero,
        });
        var peer = new ManagedWebSocketPeer(socket);
        relay.Attach(user, peer);
        var closeWith = await peer.ReceiveAsync(relay, settings.MaxMessageBytes, CancellationToken.None);
        relay.Detach(user, peer);
        if (closeWith is { } code) peer.Close(code);
        else peer.Abandon();
        await FinishSendingAsync(connection, peer);
        if (closeWith == WebSocketCloseStatus.MessageTooBig) await peer.AwaitPeerCloseAsync(settings.CloseTimeout);
    }

    /// <summary>Lets the queued frames (the close last) be written; a peer that does not take them in time is cut off.</summary>
    private async Task FinishSendingAsync(ConnectionContext connection, RelayPeer peer)
    {
        try
        {
            await peer.SentAsync().WaitAsync(settings.CloseTimeout);
        }
        catch (TimeoutException)
        {
            connection.Abort(new ConnectionAbortedException("the peer did not take its last frames in time"));
        }
    }
}

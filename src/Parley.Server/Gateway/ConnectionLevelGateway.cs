using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Parley.Server.Gateway;

/// <summary>
/// Kestrel connection middleware, on every endpoint: a connection whose first request is a valid <c>GET /v1/ws</c>
/// upgrade is taken here, before HTTP/1.1 exists for it. The same checks as the endpoint, a 101 written by hand, and
/// the WebSocket over the transport's own pipes; Kestrel then keeps only its transport connection under the socket
/// (no Http1Connection, HttpContext, header dictionaries or second pipe: ~7 KB less per idle socket). Every other
/// connection goes on to HTTP/1.1 with its bytes untouched, and <see cref="GatewayEndpoint"/> serves any upgrade
/// that reaches it there.
/// </summary>
internal sealed partial class ConnectionLevelGateway(UpgradeChecks checks, UpgradedSockets sockets, ForwardedClientAddress clientAddress,
    IOptions<KestrelServerOptions> kestrel, IHostApplicationLifetime lifetime, ILogger<ConnectionLevelGateway> logger)
{
    private readonly TimeSpan _headTimeout = kestrel.Value.Limits.RequestHeadersTimeout;

    public async Task OnConnectedAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var (toHttp, tickets) = await UpgradeAsync(connection);
        if (toHttp)
        {
            await next(connection);
            return;
        }
        if (tickets is null) return;
        using (tickets)
        {
            using var stream = new DuplexPipeStream(connection.Transport);
            using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = sockets.KeepAliveInterval,
                KeepAliveTimeout = sockets.KeepAliveTimeout,
            });
            if (await sockets.RunAsync(socket, tickets)) return;
        }
        await CutAsync(connection);
    }

    /// <summary>
    /// Ends a connection whose close handshake did not complete. An abort drops what Kestrel has not yet sent, which can
    /// be the close frame the socket wrote last (a 1002 for an unmasked frame: its client would see no close code). So
    /// the output is completed first: Kestrel sends what is queued and then shuts the socket. Only a peer that does not
    /// take those bytes within <c>CloseTimeout</c> (it may not be reading at all) is cut with an abort.
    /// </summary>
    private async Task CutAsync(ConnectionContext connection)
    {
        await connection.Transport.Output.CompleteAsync();
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        grace.CancelAfter(sockets.CloseTimeout);
        await Task.Delay(Timeout.InfiniteTimeSpan, grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (!connection.ConnectionClosed.IsCancellationRequested)
            connection.Abort(new ConnectionAbortedException("the WebSocket close handshake did not complete"));
    }

    /// <summary>
    /// Reads the head and answers it: to HTTP/1.1 (the pipe untouched), refused or gone (no tickets), or upgraded (the
    /// 101 written, the tickets to hold until the welcome).
    /// </summary>
    /// <remarks>A method of its own so that nothing of the request (its head's strings) stays referenced from the
    /// state machine that holds the socket afterwards.</remarks>
    private async Task<(bool ToHttp, UpgradeTickets? Tickets)> UpgradeAsync(ConnectionContext connection)
    {
        var request = await ReadHeadAsync(connection);
        if (request is null) return (true, null);
        var peer = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        var tickets = checks.TryPass(request.Origin, request.Host, clientAddress.Of(peer, request.ForwardedFor)?.ToString() ?? "", out var refusal);
        try
        {
            if (tickets is null) await UpgradeResponses.RefusedAsync(connection.Transport.Output, refusal!, connection.ConnectionClosed);
            else await UpgradeResponses.SwitchingProtocolsAsync(connection.Transport.Output, request.AcceptKey, connection.ConnectionClosed);
            return (false, tickets);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            tickets?.Dispose();
            LogUpgradeLost(logger, ex.Message);
            return (false, null);
        }
    }

    /// <summary>The upgrade to take, or null to hand the connection to HTTP/1.1 as it is.</summary>
    private async Task<UpgradeRequest?> ReadHeadAsync(ConnectionContext connection)
    {
        // Kestrel's own limit on a request head's arrival; a head that takes longer is left to HTTP/1.1, which then
        // applies its timeouts and answers (408) as it would have. So is a connection whose head is not in when the
        // server starts stopping: HTTP/1.1 ends an idle connection at once when Kestrel asks it to close, as it always
        // did, where this wait would hold the stop for Kestrel's whole shutdown timeout. (The host's stopping token, not
        // the connection's close request: a registration on the connection's own token source stays in its free list,
        // 144 B per connection for the socket's life.)
        using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        headTimeout.CancelAfter(_headTimeout);
        try
        {
            return await UpgradeRequest.ReadAsync(connection.Transport.Input, headTimeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Too slow, or reset: HTTP/1.1 meets the same connection and ends it as it always did.
            return null;
        }
    }

    [LoggerMessage(EventId = 1006, Level = LogLevel.Debug, Message = "A connection went away while its upgrade was answered: {Reason}")]
    private static partial void LogUpgradeLost(ILogger logger, string reason);
}

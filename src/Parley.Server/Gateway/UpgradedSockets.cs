using System.Net.WebSockets;
using Microsoft.Extensions.Options;

namespace Parley.Server.Gateway;

/// <summary>
/// A gateway socket from its upgrade to its end, whichever way the upgrade came: the hello phase
/// (<see cref="ConnectionHandshake"/>), then the live <see cref="Connection"/>. The connection takes its services from
/// the root container (none of them is scoped: a socket outlives any request scope), plus these three of its own.
/// </summary>
internal sealed class UpgradedSockets(ConnectionHandshake handshake, IServiceProvider services, IOptions<GatewayOptions> gateway,
    IOptions<LimitsOptions> limits, IHostApplicationLifetime lifetime)
{
    // Built once: a live connection takes what it uses from the container, plus these three of its own.
    private static readonly ObjectFactory<Connection> NewConnection =
        ActivatorUtilities.CreateFactory<Connection>([typeof(WebSocket), typeof(FrameReader), typeof(Handshake)]);

    private readonly GatewayOptions _gateway = gateway.Value;

    /// <summary>The server pings after this long without a frame from the client.</summary>
    public TimeSpan KeepAliveInterval => _gateway.KeepAliveInterval;

    /// <summary>How long a closing socket's last bytes may take to reach a peer before its connection is cut.</summary>
    public TimeSpan CloseTimeout => _gateway.CloseTimeout;

    /// <summary>
    /// A peer that does not answer a ping within the rest of IdleTimeout is gone (a dead phone, a cut network): the
    /// socket is aborted and its user goes offline.
    /// </summary>
    public TimeSpan KeepAliveTimeout => _gateway.IdleTimeout - _gateway.KeepAliveInterval;

    /// <summary>
    /// Runs the socket to its end. True when its close handshake completed; otherwise the caller cuts the TCP connection:
    /// it may still hold frames the peer is not reading, and would keep them (and the connection) until the peer drains them.
    /// </summary>
    public async Task<bool> RunAsync(WebSocket socket, UpgradeTickets tickets)
    {
        using var frames = new FrameReader(socket, limits.Value.MaxFrameBytes);
        var established = await handshake.RunAsync(socket, frames);
        tickets.HelloDone();
        if (established is not null)
        {
            using var connection = NewConnection(services, [socket, frames, established]);
            // The admission ticket is given back at the welcome; the connection then costs what any idle one does.
            await connection.RunAsync(lifetime.ApplicationStopping, tickets.Welcomed);
        }
        return socket.State == WebSocketState.Closed;
    }
}

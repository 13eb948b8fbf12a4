using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Parley.Protocol;
using Parley.Server.Http;

namespace Parley.Server.Gateway;

/// <summary>GET /v1/ws: the WebSocket gateway.</summary>
internal static class GatewayEndpoint
{
    // Built once: a live connection takes what it uses from the container, plus these three of its own.
    private static readonly ObjectFactory<Connection> NewConnection =
        ActivatorUtilities.CreateFactory<Connection>([typeof(WebSocket), typeof(FrameReader), typeof(Handshake)]);

    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/v1/ws", AcceptAsync);
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, ConnectionHandshake handshake, UpgradeAdmission admission, RateLimits.HandshakeSlots slots,
        IOptions<GatewayOptions> options, IOptions<LimitsOptions> limits, Observability.ParleyMetrics metrics, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a WebSocket upgrade is expected here", context.RequestAborted);
            return;
        }
        var gateway = options.Value;
        if (!OriginAllowed(context, gateway.AllowedOrigins))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        // A node that is behind refuses here, before the upgrade and any token check: a refusal costs nothing to serve.
        using var admitted = admission.TryAdmit(out var retryAfter);
        if (admitted is null)
        {
            await HttpErrors.Overloaded(context, retryAfter).ExecuteAsync(context);
            return;
        }
        // Until its hello a socket is anonymous: each address may hold only a few such.
        using var pending = slots.TryEnter(context.Connection.RemoteIpAddress?.ToString() ?? "");
        if (pending is null)
        {
            metrics.UpgradeRefused("address");
            await HttpErrors.RetryLater(context, StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
                "too many sockets from this address are waiting for their hello", TimeSpan.FromSeconds(1)).ExecuteAsync(context);
            return;
        }
        // A chat socket lives for hours: no request body limits or timeouts apply to it.
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = gateway.KeepAliveInterval,
            // After KeepAliveInterval without a frame the server pings; a peer that does not answer within the rest
            // of IdleTimeout is gone (a dead phone, a cut network): the socket is aborted and its user goes offline.
            KeepAliveTimeout = gateway.IdleTimeout - gateway.KeepAliveInterval,
            DangerousEnableCompression = false,
        });
        using var frames = new FrameReader(socket, limits.Value.MaxFrameBytes);
        var established = await handshake.RunAsync(socket, frames);
        pending.Dispose();
        if (established is not null)
        {
            using var connection = NewConnection(context.RequestServices, [socket, frames, established]);
            // The admission ticket is given back at the welcome; the connection then costs what any idle one does.
            await connection.RunAsync(lifetime.ApplicationStopping, admitted.Dispose);
        }
        // Without a completed close handshake the connection may still hold frames the peer is not reading; the server
        // would otherwise keep the TCP connection (and those bytes) until the peer drains them. Cut it.
        if (socket.State != WebSocketState.Closed) context.Abort();
    }

    /// <summary>
    /// Browsers send Origin; a page from another site must not open sockets with a user's token.
    /// Non-browser clients send none.
    /// </summary>
    private static bool OriginAllowed(HttpContext context, string[] allowed)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return allowed.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }
}

using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;

namespace Parley.Server.Gateway;

/// <summary>GET /v1/ws: the WebSocket gateway.</summary>
internal static class GatewayEndpoint
{
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/v1/ws", AcceptAsync);
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, GatewayServices services, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a WebSocket upgrade is expected here", context.RequestAborted);
            return;
        }
        if (!OriginAllowed(context, services.Gateway.AllowedOrigins))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        // A chat socket lives for hours: no request body limits or timeouts apply to it.
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = services.Gateway.KeepAliveInterval,
            // After KeepAliveInterval without a frame the server pings; a peer that does not answer within the rest
            // of IdleTimeout is gone (a dead phone, a cut network): the socket is aborted and its user goes offline.
            KeepAliveTimeout = services.Gateway.IdleTimeout - services.Gateway.KeepAliveInterval,
            DangerousEnableCompression = false,
        });
        using var connection = new Connection(socket, services);
        await connection.RunAsync(lifetime.ApplicationStopping);
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

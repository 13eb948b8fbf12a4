using Microsoft.AspNetCore.Http.Features;
using Parley.Server.Http;

namespace Parley.Server.Gateway;

/// <summary>
/// GET /v1/ws through Kestrel's HTTP/1.1: the gateway's fallback entry. A connection whose first request is the upgrade
/// is taken before HTTP by <see cref="ConnectionLevelGateway"/>; this endpoint serves the rest (an upgrade on a
/// kept-alive connection that served other requests first, on an HTTPS endpoint, with the connection-level path
/// switched off, or a head that path leaves to HTTP), with the same checks and the same socket afterwards.
/// </summary>
internal static class GatewayEndpoint
{
    public static IEndpointRouteBuilder MapGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/v1/ws", AcceptAsync);
        return app;
    }

    private static async Task AcceptAsync(HttpContext context, UpgradeChecks checks, UpgradedSockets sockets)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("a WebSocket upgrade is expected here", context.RequestAborted);
            return;
        }
        using var tickets = checks.TryPass(context.Request.Headers.Origin.ToString(), context.Request.Host.Value ?? "",
            context.Connection.RemoteIpAddress?.ToString() ?? "", out var refusal);
        if (tickets is null)
        {
            await RefuseAsync(context, refusal!);
            return;
        }
        // A chat socket lives for hours: no request body limits or timeouts apply to it.
        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = sockets.KeepAliveInterval,
            KeepAliveTimeout = sockets.KeepAliveTimeout,
            DangerousEnableCompression = false,
        });
        if (!await sockets.RunAsync(socket, tickets)) context.Abort();
    }

    private static Task RefuseAsync(HttpContext context, UpgradeRefusal refusal)
    {
        if (!refusal.HasBody)
        {
            context.Response.StatusCode = refusal.Status;
            return Task.CompletedTask;
        }
        return HttpErrors.RetryLater(context, refusal.Status, refusal.Code, refusal.Message, refusal.RetryAfter).ExecuteAsync(context);
    }
}

using Parley.Core.Storage;

namespace Parley.Server.Http;

internal static class HealthEndpoints
{
    /// <summary>GET /healthz: 200 while the node can accept and store messages, else 503.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IMessageStore store, CancellationToken ct) =>
            await store.IsHealthyAsync(ct) ? Results.Text("ok") : Results.Text("store unavailable", statusCode: StatusCodes.Status503ServiceUnavailable));
        return app;
    }
}

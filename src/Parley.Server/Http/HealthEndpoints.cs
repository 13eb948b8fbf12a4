using System.Data.Common;
using Parley.Core.Storage;

namespace Parley.Server.Http;

internal static partial class HealthEndpoints
{
    /// <summary>
    /// GET /healthz: 200 while the node can accept and store messages (the store's writer runs, its last transaction
    /// did not fail, and a read succeeds), else 503.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", async (IMessageStore store, ILoggerFactory loggers, CancellationToken ct) =>
        {
            try
            {
                if (await store.IsHealthyAsync(ct)) return Results.Text("ok");
            }
            catch (Exception ex) when (ex is DbException or IOException or InvalidOperationException)
            {
                // A store that throws on a trivial read is what this endpoint exists to report.
                LogStoreUnhealthy(loggers.CreateLogger("Parley.Server.Http.HealthEndpoints"), ex);
            }
            return Results.Text("store unavailable", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "The health check's store read failed")]
    private static partial void LogStoreUnhealthy(ILogger logger, Exception exception);
}

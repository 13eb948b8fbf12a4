using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Parley.Server.Observability;

internal static class ObservabilityRegistration
{
    /// <summary>The server's instruments and the OpenTelemetry pipeline that exports the <c>Parley</c> meters in Prometheus format.</summary>
    public static IServiceCollection AddParleyObservability(this IServiceCollection services)
    {
        services.AddSingleton<ParleyMetrics>();
        services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("parley")).WithMetrics(metrics => metrics.AddMeter(ParleyMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    /// <summary>GET /metrics: every Parley instrument, Prometheus text format.</summary>
    public static WebApplication MapParleyMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

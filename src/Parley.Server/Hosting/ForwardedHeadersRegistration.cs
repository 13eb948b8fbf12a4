using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

internal static class ForwardedHeadersRegistration
{
    /// <summary>Binds Parley:Proxy (validated at start) and configures which forwarded headers are believed, from whom.</summary>
    public static IServiceCollection AddParleyForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<ProxyOptions>().Bind(configuration.GetSection(ProxyOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.KnownProxies.All(p => IPAddress.TryParse(p, out _)), "Parley:Proxy:KnownProxies must hold IP addresses")
            .Validate(o => o.KnownNetworks.All(n => System.Net.IPNetwork.TryParse(n, out _)), "Parley:Proxy:KnownNetworks must hold networks in CIDR notation (10.0.0.0/24)");
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            var p = proxies.Value;
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = p.ForwardLimit;
            // The defaults trust loopback; here only what is configured is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in p.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            foreach (var network in p.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
        return services;
    }

    /// <summary>First in the pipeline, so that everything after it (limits, HSTS, the Origin check) sees the client's address and scheme.</summary>
    public static WebApplication UseParleyForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Any) app.UseForwardedHeaders();
        return app;
    }
}

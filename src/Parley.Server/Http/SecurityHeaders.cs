using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;

namespace Parley.Server.Http;

internal static class SecurityHeaders
{
    public static IServiceCollection AddParleySecurityHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<HttpSecurityOptions>().Bind(configuration.GetSection(HttpSecurityOptions.Section))
            .Validate(o => o.HstsMaxAge >= TimeSpan.Zero, "Parley:Http:HstsMaxAge must not be negative");
        services.AddHsts(_ => { });
        services.AddOptions<HstsOptions>().Configure<IOptions<HttpSecurityOptions>>((hsts, security) =>
        {
            hsts.MaxAge = security.Value.HstsMaxAge;
            // The default leaves out localhost; a server that is reached over TLS by any name means it.
            hsts.ExcludedHosts.Clear();
        });
        return services;
    }

    /// <summary>Strict-Transport-Security on every HTTPS answer (none over plain HTTP, as RFC 6797 requires).</summary>
    public static WebApplication UseParleyHsts(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<HttpSecurityOptions>>().Value.HstsMaxAge > TimeSpan.Zero) app.UseHsts();
        return app;
    }

    /// <summary>The headers of the web client's files: its Content-Security-Policy, no framing, no sniffing, no referrer.</summary>
    public static void ForWebClient(HttpResponse response, HttpSecurityOptions options)
    {
        var headers = response.Headers;
        if (options.ContentSecurityPolicy.Length > 0) headers.ContentSecurityPolicy = options.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
    }
}

namespace Parley.Server.Http;

/// <summary>Serves the web client (wwwroot): index.html at /, its modules, and the media service worker.</summary>
internal static class WebClientFiles
{
    public static IApplicationBuilder UseWebClientFiles(this IApplicationBuilder app)
    {
        var security = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<HttpSecurityOptions>>().Value;
        app.UseDefaultFiles();
        return app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                SecurityHeaders.ForWebClient(file.Context.Response, security);
                // A cached worker script would keep an old worker in charge of media; it is revalidated on every check.
                if (file.Context.Request.Path == "/sw.js") file.Context.Response.Headers.CacheControl = "no-cache";
            },
        });
    }
}

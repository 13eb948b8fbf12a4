namespace Parley.Server.Http;

/// <summary>Parley:Http: the security headers of the server's HTTP answers.</summary>
public sealed class HttpSecurityOptions
{
    public const string Section = "Parley:Http";

    /// <summary>
    /// The web client's Content-Security-Policy: its own scripts, styles, images and sockets only, blob: and data: images
    /// and blob: media (uploads shown before they are sent, media fetched with the token), no frames, no plugins. Empty
    /// sends none.
    /// </summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self'; " +
        "worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Strict-Transport-Security's max-age on HTTPS answers (over TLS here, or through a proxy in Parley:Proxy that says
    /// so with X-Forwarded-Proto); zero sends none. Browsers then use only HTTPS for this host.
    /// </summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}

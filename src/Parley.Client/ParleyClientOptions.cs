namespace Parley.Client;

/// <summary>How a <see cref="ParleyClient"/> connects, resumes and times out. Read once, when the client is created.</summary>
public sealed class ParleyClientOptions
{
    /// <summary>
    /// The server: its HTTP base (<c>http://host:port/</c>, the WebSocket endpoint <c>/v1/ws</c> is derived) or the
    /// WebSocket endpoint itself. Ignored when <see cref="ServerUriProvider"/> is set.
    /// </summary>
    public Uri? ServerUri { get; set; }

    /// <summary>Asked for the server's address before every connection attempt (for servers that move); overrides <see cref="ServerUri"/>.</summary>
    public Func<Uri>? ServerUriProvider { get; set; }

    /// <summary>The bearer token from <c>POST /v1/sessions</c>.</summary>
    public string Token { get; set; } = "";

    /// <summary>
    /// The last inbox seq this device processed before (persisted by the application), sent as <c>hello.after</c>
    /// on the first connection; null lets the server use its stored cursor for the device.
    /// </summary>
    public long? After { get; set; }

    /// <summary>A background sync connection: receives everything but does not make the user online.</summary>
    public bool Background { get; set; }

    /// <summary>When inbox events are acknowledged.</summary>
    public AckMode AckMode { get; set; } = AckMode.Automatic;

    /// <summary>
    /// What happens to an inbox event when a handler throws: <see cref="HandlerFailurePolicy.Retry"/> (the default: not
    /// acknowledged, the handler is called again after a backoff) or <see cref="HandlerFailurePolicy.Skip"/> (it counts as
    /// processed). Presence, typing and connection events are never retried.
    /// </summary>
    public HandlerFailurePolicy HandlerFailurePolicy { get; set; } = HandlerFailurePolicy.Retry;

    /// <summary>The clock for backoff, timeouts and round trips.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// The first reconnect delay; each failed attempt doubles it (with jitter) up to <see cref="ReconnectMaxDelay"/>.
    /// Handlers that threw are retried on the same schedule.
    /// </summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a request written on a live connection may wait for its reply. Past it the connection is taken
    /// as dead and replaced; the request is then re-sent (or failed, when it is not safe to repeat).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a socket plus <c>hello</c>/<c>welcome</c> may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The WebSocket keep-alive (ping) interval and timeout, which detect a silently dead connection; zero turns it off.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(20);

    internal void Validate()
    {
        if (ServerUri is null && ServerUriProvider is null) throw new ArgumentException("set ServerUri or ServerUriProvider");
        if (string.IsNullOrEmpty(Token)) throw new ArgumentException("Token is required");
        if (After is < 0) throw new ArgumentException("After must not be negative");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (!Enum.IsDefined(HandlerFailurePolicy)) throw new ArgumentException("HandlerFailurePolicy is not one of its values");
        if (ReconnectMinDelay < TimeSpan.Zero || ReconnectMaxDelay < ReconnectMinDelay) throw new ArgumentException("need 0 <= ReconnectMinDelay <= ReconnectMaxDelay");
        if (RequestTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero) throw new ArgumentException("timeouts must be positive");
        if (KeepAliveInterval < TimeSpan.Zero) throw new ArgumentException("KeepAliveInterval must not be negative");
    }
}

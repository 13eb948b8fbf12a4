using System.Globalization;

namespace ConnRelay;

/// <summary>The command line: <c>--port</c>, <c>--mode ws|raw</c>, <c>--max-message</c>, <c>--wait-for-data</c>.</summary>
internal sealed record RelaySettings(int Port, RelayMode Mode, int MaxMessageBytes, bool WaitForData)
{
    /// <summary>A client must finish its upgrade request within this long (Kestrel's header timeout does not apply here).</summary>
    public TimeSpan HandshakeTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closing socket may take to take its last frames and answer the close.</summary>
    public TimeSpan CloseTimeout { get; } = TimeSpan.FromSeconds(2);

    public static RelaySettings From(IConfiguration configuration)
    {
        var mode = configuration["mode"] switch
        {
            null or "ws" => RelayMode.WebSocket,
            "raw" => RelayMode.Raw,
            var other => throw new ArgumentException($"--mode must be ws or raw, not {other}"),
        };
        var port = int.Parse(configuration["port"] ?? "5100", CultureInfo.InvariantCulture);
        // Parley's own default frame limit (Parley:Limits:MaxFrameBytes).
        var maxMessage = int.Parse(configuration["max-message"] ?? "65536", CultureInfo.InvariantCulture);
        if (maxMessage < 126) throw new ArgumentException("--max-message must be at least 126 bytes");
        var waitForData = bool.Parse(configuration["wait-for-data"] ?? "true");
        return new RelaySettings(port, mode, maxMessage, waitForData);
    }
}

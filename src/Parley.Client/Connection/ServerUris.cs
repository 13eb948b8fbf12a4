namespace Parley.Client.Connection;

/// <summary>Maps the server address the application gives to the WebSocket endpoint.</summary>
internal static class ServerUris
{
    /// <summary><c>http://h:p/base/</c> becomes <c>ws://h:p/base/v1/ws</c>; a <c>ws</c> or <c>wss</c> address ending in <c>/v1/ws</c> stays as it is.</summary>
    public static Uri WebSocket(Uri server)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!server.IsAbsoluteUri) throw new ArgumentException("the server address must be absolute", nameof(server));
        var scheme = server.Scheme switch
        {
            "http" or "ws" => "ws",
            "https" or "wss" => "wss",
            _ => throw new ArgumentException($"unsupported scheme '{server.Scheme}'", nameof(server)),
        };
        var builder = new UriBuilder(server) { Scheme = scheme, Port = server.Port };
        var path = builder.Path;
        if (!path.EndsWith("/v1/ws", StringComparison.Ordinal)) builder.Path = path.TrimEnd('/') + "/v1/ws";
        return builder.Uri;
    }
}

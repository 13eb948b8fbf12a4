namespace ConnRelay;

/// <summary>How the relay holds its sockets.</summary>
internal enum RelayMode
{
    /// <summary>ManagedWebSocket (<c>WebSocket.CreateFromStream</c>) over the transport's pipes.</summary>
    WebSocket,

    /// <summary>The relay's own RFC 6455 framing over the transport's PipeReader and PipeWriter.</summary>
    Raw,
}

namespace Parley.Client;

/// <summary>Where a <see cref="ParleyClient"/>'s connection stands.</summary>
public enum ConnectionState
{
    /// <summary>Not started: <see cref="ParleyClient.ConnectAsync"/> was not called yet, or its first attempt failed (call it again to retry).</summary>
    Disconnected,
    /// <summary>Opening the first connection.</summary>
    Connecting,
    /// <summary>Welcomed by the server: events flow and requests go out.</summary>
    Online,
    /// <summary>An established connection dropped; the client is waiting out its backoff or opening a new one.</summary>
    Reconnecting,
    /// <summary>The server refused the token (close code 4401): the client stopped and will not reconnect.</summary>
    Unauthorized,
    /// <summary>The client was disposed.</summary>
    Closed,
}

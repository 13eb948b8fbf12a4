namespace Parley.Client.Transport;

/// <summary>One WebSocket connection, as the client uses it: whole text frames in and out. One sender and one receiver at a time.</summary>
internal interface IWebSocketTransport : IAsyncDisposable
{
    /// <summary>Opens the connection.</summary>
    Task ConnectAsync(Uri uri, CancellationToken cancellationToken);

    /// <summary>Sends one text frame.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken);

    /// <summary>Receives the next whole text frame, or the peer's close.</summary>
    ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Starts a normal close (sends the close frame); the peer's answer arrives through <see cref="ReceiveAsync"/>.</summary>
    Task CloseOutputAsync(CancellationToken cancellationToken);

    /// <summary>Drops the connection at once.</summary>
    void Abort();
}

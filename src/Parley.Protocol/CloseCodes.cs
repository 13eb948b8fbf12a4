namespace Parley.Protocol;

/// <summary>WebSocket close codes used by the protocol. Append-only.</summary>
public static class CloseCodes
{
    /// <summary>The server is shutting down.</summary>
    public const int GoingAway = 1001;
    /// <summary>Policy violation: repeated malformed frames.</summary>
    public const int Policy = 1008;
    /// <summary>A frame was larger than <c>limits.maxFrameBytes</c>.</summary>
    public const int FrameTooLarge = 1009;
    /// <summary>Bad, missing or revoked token; first frame not <c>hello</c>; this device logged out.</summary>
    public const int Unauthorized = 4401;
    /// <summary>No <c>hello</c> within the hello timeout.</summary>
    public const int HelloTimeout = 4408;
    /// <summary>Delivery not acknowledged after the last attempt, or the socket's send queue is full. Resume later.</summary>
    public const int NotAcknowledged = 4409;
    /// <summary>
    /// Too many sockets for this device or user: this one, the oldest, was closed to make room for a newer one. A client
    /// should not reconnect on its own (the newer socket is in use), only when the user asks.
    /// </summary>
    public const int TooManyConnections = 4429;
}

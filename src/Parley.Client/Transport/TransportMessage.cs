namespace Parley.Client.Transport;

/// <summary>What one receive gave: a whole text frame, or the peer's close.</summary>
/// <param name="Frame">The frame's bytes, or null for a close.</param>
/// <param name="CloseStatus">The close code, when the peer closed.</param>
/// <param name="CloseDescription">The close reason, when the peer closed.</param>
internal readonly record struct TransportMessage(byte[]? Frame, int? CloseStatus, string? CloseDescription)
{
    public static TransportMessage Closed(int? status, string? description) => new(null, status, description);
}

namespace Parley.Protocol.Requests;

/// <summary>Why a client frame could not be read: the error frame to send back.</summary>
/// <param name="Rid">The frame's rid when it could be read (and was valid), else null.</param>
/// <param name="Code">An <see cref="ErrorCodes"/> value.</param>
/// <param name="Message">A short human-readable explanation.</param>
public readonly record struct FrameError(string? Rid, string Code, string Message);

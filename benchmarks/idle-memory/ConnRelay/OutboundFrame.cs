namespace ConnRelay;

/// <summary>One frame waiting to be written to a socket: a whole text message, a pong, or the close (code and reason).</summary>
internal readonly record struct OutboundFrame(Opcode Opcode, byte[] Payload);

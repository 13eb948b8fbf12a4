namespace Parley.Server.Media;

/// <summary>An upload written to its staging file in full: its length and id (the SHA-256 of its bytes).</summary>
internal sealed record ReceivedUpload(long Size, string MediaId);

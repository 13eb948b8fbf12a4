namespace Parley.Core.Media;

/// <summary>A media as the catalog holds it: its metadata and where its bytes are.</summary>
/// <param name="Info">The metadata clients see.</param>
/// <param name="Blob">The name under which <see cref="Storage.IMediaStore"/> keeps the bytes (and the thumbnail).</param>
/// <param name="CreatedAt">When the bytes were first stored (Unix ms).</param>
public sealed record StoredMedia(MediaInfo Info, string Blob, long CreatedAt);

namespace Parley.Core.Media;

/// <summary>What the protocol tells about a stored media: in the upload's reply and in <c>message</c> events.</summary>
/// <param name="Id">The media id: the SHA-256 of the bytes, 64 lowercase hex digits (content addressing).</param>
/// <param name="Mime">The type the bytes were checked against, e.g. image/png.</param>
/// <param name="Size">The length in bytes.</param>
/// <param name="Width">Pixels across, for images and for videos whose container says.</param>
/// <param name="Height">Pixels down, likewise.</param>
/// <param name="DurationMs">A video's length, when its container says.</param>
/// <param name="Thumbnail">Whether a JPEG thumbnail was made.</param>
public sealed record MediaInfo(string Id, string Mime, long Size, int? Width, int? Height, long? DurationMs, bool Thumbnail);

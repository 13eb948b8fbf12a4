namespace Parley.Client.Http;

/// <summary>A stored upload: the answer of <c>POST /v1/media</c>. Attach it with <see cref="OutgoingMessage.MediaId"/>.</summary>
/// <param name="MediaId">The media id.</param>
/// <param name="Mime">The stored content type.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="Sha256">The content's SHA-256, hex.</param>
/// <param name="Width">The width in pixels, when known.</param>
/// <param name="Height">The height in pixels, when known.</param>
/// <param name="DurationMs">A video's duration, when known.</param>
/// <param name="Thumbnail">Whether a thumbnail is available.</param>
public sealed record MediaUpload(string MediaId, string Mime, long Size, string Sha256, int? Width, int? Height, long? DurationMs, bool Thumbnail);

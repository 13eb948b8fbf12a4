namespace Parley.Protocol.Frames;

/// <summary>A message's <c>media</c>: <c>{id, mime, size, width?, height?, durationMs?, thumbnail}</c>.</summary>
/// <param name="Id">The media id (GET /v1/media/{id}).</param>
/// <param name="Mime">The stored type.</param>
/// <param name="Size">The length in bytes.</param>
/// <param name="Width">Pixels across, when known.</param>
/// <param name="Height">Pixels down, when known.</param>
/// <param name="DurationMs">A video's length, when known.</param>
/// <param name="Thumbnail">Whether /v1/media/{id}/thumbnail has an image.</param>
public sealed record MediaView(string Id, string Mime, long Size, int? Width, int? Height, long? DurationMs, bool Thumbnail);

namespace Parley.Protocol.Frames;

/// <summary>One upload type the server accepts, and the largest upload of it: an entry of <c>welcome.limits.media</c>.</summary>
/// <param name="Mime">The media type, as <c>POST /v1/media</c> takes it in <c>Content-Type</c>.</param>
/// <param name="MaxBytes">The largest upload of that type, in bytes.</param>
public readonly record struct MediaTypeLimit(string Mime, long MaxBytes);

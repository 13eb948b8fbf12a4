namespace Parley.Core.Media;

/// <summary>A media that no live message references, found by a sweep.</summary>
/// <param name="Id">The media id.</param>
/// <param name="Blob">Where its bytes are, to delete once its row is gone.</param>
/// <param name="Version">
/// The row's version when it was found. Every upload and every message that uses the media bumps it, so the
/// delete that names this version does nothing if the media was used in between (on any node).
/// </param>
public sealed record MediaSweepCandidate(string Id, string Blob, long Version);

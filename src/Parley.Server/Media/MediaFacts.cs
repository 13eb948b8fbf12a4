namespace Parley.Server.Media;

/// <summary>What inspecting an upload found: its dimensions and length where they could be read, and whether a thumbnail was made.</summary>
internal sealed record MediaFacts(int? Width, int? Height, long? DurationMs, bool Thumbnail);

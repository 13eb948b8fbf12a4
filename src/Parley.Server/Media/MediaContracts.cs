using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Core.Media;

namespace Parley.Server.Media;

// The body of POST /v1/media's reply, as the protocol names it.

internal sealed record MediaBody(string MediaId, string Mime, long Size, string Sha256, int? Width, int? Height, long? DurationMs, bool Thumbnail)
{
    // The media id is the SHA-256 of the bytes; the protocol names both.
    public static MediaBody From(MediaInfo m) => new(m.Id, m.Mime, m.Size, m.Id, m.Width, m.Height, m.DurationMs, m.Thumbnail);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MediaBody))]
internal sealed partial class MediaJsonContext : JsonSerializerContext;

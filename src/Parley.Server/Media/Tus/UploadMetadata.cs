using System.Text;

namespace Parley.Server.Media.Tus;

/// <summary>
/// The tus <c>Upload-Metadata</c> header: comma-separated pairs of a key and, after a space, its value in base64
/// (a key may stand alone, with no value). Keys are non-empty, without spaces or commas, and unique.
/// </summary>
internal static class UploadMetadata
{
    /// <summary>The pairs, values decoded as UTF-8 (a key alone maps to ""); null when the header is malformed.</summary>
    public static IReadOnlyDictionary<string, string>? Parse(string header)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header)) return pairs;
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim();
            var space = pair.IndexOf(' ', StringComparison.Ordinal);
            var (key, encoded) = space < 0 ? (pair, "") : (pair[..space], pair[(space + 1)..].Trim());
            if (key.Length == 0 || encoded.Contains(' ', StringComparison.Ordinal) || pairs.ContainsKey(key)) return null;
            var bytes = new byte[encoded.Length];
            if (!Convert.TryFromBase64String(encoded, bytes, out var length)) return null;
            try
            {
                pairs[key] = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, length);
            }
            catch (DecoderFallbackException)
            {
                // A value that is not text (tus allows any bytes) is of no use here, but is no reason to refuse.
                pairs[key] = "";
            }
        }
        return pairs;
    }
}

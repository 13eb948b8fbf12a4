namespace Parley.Server.Media;

/// <summary>
/// What a file is, from its leading bytes: the types this server can check. The declared Content-Type must agree,
/// so a file cannot be served under a type its bytes are not (a script sent as image/png, say).
/// </summary>
internal static class MediaSniffer
{
    /// <summary>How many leading bytes <see cref="Detect"/> looks at (a WebM header names its DocType within them).</summary>
    public const int HeadLength = 64;

    public const string Jpeg = "image/jpeg";
    public const string Png = "image/png";
    public const string Gif = "image/gif";
    public const string Webp = "image/webp";
    public const string Mp4 = "video/mp4";
    public const string Webm = "video/webm";
    public const string QuickTime = "video/quicktime";
    public const string Pdf = "application/pdf";
    public const string Text = "text/plain";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

    // What Detect answers for a ZIP archive: the office formats are ZIP archives, told apart only by what is inside.
    private const string Zip = "application/zip";

    /// <summary>Every type the server can check, and its family.</summary>
    public static IReadOnlyDictionary<string, MediaKind> Known { get; } = new Dictionary<string, MediaKind>(StringComparer.Ordinal)
    {
        [Jpeg] = MediaKind.Image,
        [Png] = MediaKind.Image,
        [Gif] = MediaKind.Image,
        [Webp] = MediaKind.Image,
        [Mp4] = MediaKind.Video,
        [Webm] = MediaKind.Video,
        [QuickTime] = MediaKind.Video,
        [Pdf] = MediaKind.Document,
        [Text] = MediaKind.Document,
        [Docx] = MediaKind.Document,
        [Xlsx] = MediaKind.Document,
        [Pptx] = MediaKind.Document,
    };

    /// <summary>
    /// Whether bytes starting with <paramref name="head"/> are of type <paramref name="declared"/>. <paramref name="whole"/>
    /// says the head is the whole file (so a character cut at its end is an error, not the edge of the head).
    /// </summary>
    public static bool Matches(string declared, ReadOnlySpan<byte> head, bool whole) => declared == Text
        // Plain text has no signature: it is accepted when its leading bytes read as text (UTF-8, no control bytes).
        ? PlainText.Looks(head, whole)
        : Detect(head) switch
        {
            null => false,
            // MP4 and QuickTime are one container format (ISO base media); which one a file calls itself is not a safety
            // matter, so either name is accepted for either.
            Mp4 or QuickTime => declared is Mp4 or QuickTime,
            Zip => declared is Docx or Xlsx or Pptx,
            var detected => detected == declared,
        };

    /// <summary>The type of bytes starting with <paramref name="head"/>, or null when it is none the server knows.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return Jpeg;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return Webp;
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3])) return head.IndexOf("webm"u8) > 0 ? Webm : null;
        if (head.StartsWith("%PDF-"u8)) return Pdf;
        // A local file header: an archive with at least one entry (an office file always has several).
        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'P', (byte)'K', 0x03, 0x04])) return Zip;
        if (head.Length >= 12) return IsoBaseMedia(head);
        return null;
    }

    private static string? IsoBaseMedia(ReadOnlySpan<byte> head)
    {
        var box = head[4..8];
        if (box.SequenceEqual("ftyp"u8))
        {
            var brand = head[8..12];
            // The same container holds still images (HEIF, AVIF), which are not videos.
            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)
                || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return null;
            }
            return brand.SequenceEqual("qt  "u8) ? QuickTime : Mp4;
        }
        // Older QuickTime files have no ftyp and start with one of these atoms.
        return box.SequenceEqual("moov"u8) || box.SequenceEqual("mdat"u8) || box.SequenceEqual("wide"u8)
            || box.SequenceEqual("free"u8) || box.SequenceEqual("skip"u8) || box.SequenceEqual("pnot"u8) ? QuickTime : null;
    }
}

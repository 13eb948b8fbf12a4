using System.ComponentModel.DataAnnotations;
using Parley.Protocol.Frames;

namespace Parley.Server.Media;

/// <summary>Parley:Media: uploads, their limits, thumbnails and where the files live.</summary>
public sealed class MediaOptions
{
    public const string Section = "Parley:Media";

    /// <summary>The types accepted when <see cref="AllowedTypes"/> is not set.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowedTypes =
    [
        "image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/webm", "video/quicktime",
        "application/pdf", "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ];

    private IReadOnlyList<MediaTypeLimit>? _typeLimits;

    /// <summary>Where the files live; empty means <c>&lt;DataDir&gt;/media</c>. Point every node of a cluster at one shared path.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// The accepted types, each one the server can check against the bytes (see <see cref="DefaultAllowedTypes"/>).
    /// Null (not configured) means all of those. (A default array here would be appended to, not replaced by, the
    /// configured one: that is how the configuration binder treats arrays.)
    /// </summary>
    public string[]? AllowedTypes { get; set; }

    /// <summary>The largest image upload, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxImageBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>The largest video upload, in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxVideoBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>The largest document upload (PDF, plain text, office files), in bytes.</summary>
    [Range(1, long.MaxValue)]
    public long MaxDocumentBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// The most pixels (width x height, read from the header before anything is decoded) an image may have. Decoding
    /// takes 4 bytes a pixel for formats that cannot be decoded at a reduced scale (PNG, GIF), so this bounds the memory
    /// one upload can take, and stops a small file that declares enormous dimensions.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Thumbnails made at once (each may hold a decoded image); further uploads wait for a turn.</summary>
    [Range(1, 256)]
    public int MaxConcurrentThumbnails { get; set; } = 2;

    /// <summary>Thumbnails one user's uploads may be making at once; the user's further ones wait for these, not for others'.</summary>
    [Range(1, 256)]
    public int MaxConcurrentThumbnailsPerUser { get; set; } = 1;

    /// <summary>The ffmpeg program for video thumbnails (a name looked up on PATH, or a path); empty disables them. Optional.</summary>
    public string? Ffmpeg { get; set; } = "ffmpeg";

    /// <summary>How long ffmpeg may take for one thumbnail (wall clock).</summary>
    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>CPU seconds ffmpeg may use for one thumbnail (RLIMIT_CPU: the kernel stops it past this).</summary>
    [Range(1, 3600)]
    public int FfmpegCpuSeconds { get; set; } = 10;

    /// <summary>Address space ffmpeg may take for one thumbnail, in bytes (RLIMIT_AS: its allocations past this fail).</summary>
    [Range(64L * 1024 * 1024, long.MaxValue)]
    public long FfmpegMemoryBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>An upload that no message has used for this long may be swept (as may staging files this old).</summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The types in force.</summary>
    public IReadOnlyList<string> EffectiveAllowedTypes => AllowedTypes ?? DefaultAllowedTypes;

    /// <summary>
    /// Each type in force with its size limit, as <c>welcome.limits.media</c> tells clients. Made once (the options are
    /// fixed after start-up) so that a welcome allocates no list.
    /// </summary>
    internal IReadOnlyList<MediaTypeLimit> TypeLimits =>
        _typeLimits ??= [.. EffectiveAllowedTypes.Select(mime => new MediaTypeLimit(mime, LimitOf(MediaSniffer.Known[mime])))];

    /// <summary>The largest upload of a family, in bytes.</summary>
    internal long LimitOf(MediaKind kind) => kind switch
    {
        MediaKind.Image => MaxImageBytes,
        MediaKind.Video => MaxVideoBytes,
        _ => MaxDocumentBytes,
    };
}

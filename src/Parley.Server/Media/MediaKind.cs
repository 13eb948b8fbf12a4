namespace Parley.Server.Media;

/// <summary>The families of uploads, each with its own size limit and inspection.</summary>
internal enum MediaKind
{
    Image,
    Video,

    /// <summary>A document (PDF, plain text, an office file): never inspected, always served as a download.</summary>
    Document,
}

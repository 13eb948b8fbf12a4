namespace Parley.Server.Media;

/// <summary>The families of uploads, each with its own size limit and inspection.</summary>
internal enum MediaKind
{
    Image,
    Video,
}

using Parley.Protocol;

namespace Parley.Cli.Messages;

/// <summary>A file's type from its extension, and the message kind a type is sent as. The server checks the bytes itself.</summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".png"] = "image/png",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".mp4"] = "video/mp4",
        [".m4v"] = "video/mp4",
        [".webm"] = "video/webm",
        [".mov"] = "video/quicktime",
        [".pdf"] = "application/pdf",
        [".txt"] = "text/plain",
    };

    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["image/jpeg"] = ".jpg",
        ["image/png"] = ".png",
        ["image/gif"] = ".gif",
        ["image/webp"] = ".webp",
        ["video/mp4"] = ".mp4",
        ["video/webm"] = ".webm",
        ["video/quicktime"] = ".mov",
        ["application/pdf"] = ".pdf",
        ["text/plain"] = ".txt",
    };

    public static string? FromExtension(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path));

    public static string Extension(string mime) => Extensions.GetValueOrDefault(mime, ".bin");

    public static string Kind(string mime) =>
        mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? MessageKinds.Image
        : mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? MessageKinds.Video
        : MessageKinds.File;
}

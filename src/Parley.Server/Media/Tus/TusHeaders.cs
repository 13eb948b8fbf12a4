namespace Parley.Server.Media.Tus;

/// <summary>The tus 1.0 header names and values, and Parley's one addition.</summary>
internal static class TusHeaders
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,termination";

    public const string TusResumable = "Tus-Resumable";
    public const string TusVersion = "Tus-Version";
    public const string TusExtension = "Tus-Extension";
    public const string TusMaxSize = "Tus-Max-Size";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadLength = "Upload-Length";
    public const string UploadDeferLength = "Upload-Defer-Length";
    public const string UploadMetadata = "Upload-Metadata";

    /// <summary>The media a finished upload became (Parley's addition: on the last PATCH and on HEAD afterwards).</summary>
    public const string MediaId = "Parley-Media-Id";

    /// <summary>The one content type a PATCH body may have.</summary>
    public const string OffsetOctetStream = "application/offset+octet-stream";

    /// <summary>A header that holds a non-negative integer, as Upload-Length and Upload-Offset must; null when absent or not one.</summary>
    public static long? ReadCount(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1
        && values[0] is { Length: > 0 and <= 19 } text && text.All(char.IsAsciiDigit)
        && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

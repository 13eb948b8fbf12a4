namespace Parley.Core.Media;

/// <summary>
/// The temporary local files of one upload in progress: the bytes as they arrive, and the thumbnail made from
/// them. Disposing removes whatever was not committed, so an upload that fails leaves nothing behind.
/// </summary>
public sealed class MediaStaging : IAsyncDisposable
{
    public MediaStaging(string filePath, string thumbnailPath)
    {
        FilePath = filePath;
        ThumbnailPath = thumbnailPath;
    }

    /// <summary>Where the upload's bytes are written.</summary>
    public string FilePath { get; }

    /// <summary>Where a thumbnail is written, if one is made.</summary>
    public string ThumbnailPath { get; }

    public ValueTask DisposeAsync()
    {
        // After a commit both files have been renamed away and these are no-ops.
        File.Delete(FilePath);
        File.Delete(ThumbnailPath);
        return ValueTask.CompletedTask;
    }
}

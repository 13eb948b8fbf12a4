using Parley.Core.Media;

namespace Parley.Storage.LocalFiles;

/// <summary>A resumable upload and how many of its bytes the server holds (its length once it became a media).</summary>
public sealed record UploadState(ResumableUpload Upload, long Offset)
{
    /// <summary>Every byte has arrived.</summary>
    public bool IsComplete => Offset >= Upload.Length;
}

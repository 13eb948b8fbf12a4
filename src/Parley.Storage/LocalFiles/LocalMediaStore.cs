using System.Security.Cryptography;
using Parley.Core.Media;
using Parley.Core.Storage;

namespace Parley.Storage.LocalFiles;

/// <summary>
/// Media in a directory: <c>&lt;root&gt;/ab/&lt;blob&gt;</c> and <c>&lt;blob&gt;.thumb.jpg</c> beside it, where the blob
/// name is the media id (its SHA-256) and a random suffix, and <c>ab</c> its first two digits (so no directory holds
/// more than a 256th of the files). Uploads are staged in <c>&lt;root&gt;/.staging</c>, on the same file system, so
/// that a commit is a rename: a reader sees a whole file or none. The root may be shared by several nodes (a
/// network file system): staging names are random, blob names are unique per commit, and nothing else is written.
/// </summary>
public sealed class LocalMediaStore : IMediaStore
{
    private const string ThumbnailSuffix = ".thumb.jpg";
    private readonly string _root;
    private readonly string _staging;
    private readonly TimeProvider _time;

    public LocalMediaStore(string root, TimeProvider time)
    {
        _root = Path.GetFullPath(root);
        _staging = Path.Combine(_root, ".staging");
        _time = time;
        Directory.CreateDirectory(_staging);
    }

    /// <summary>The directory the media are in.</summary>
    public string Root => _root;

    public ValueTask<MediaStaging> StageAsync(CancellationToken cancellationToken)
    {
        var name = Guid.NewGuid().ToString("N");
        return ValueTask.FromResult(new MediaStaging(Path.Combine(_staging, name + ".part"), Path.Combine(_staging, name + ".thumb.part")));
    }

    public ValueTask<string> CommitAsync(MediaStaging staging, string mediaId, CancellationToken cancellationToken)
    {
        if (!MediaIds.IsValid(mediaId)) throw new ArgumentException("not a media id", nameof(mediaId));
        var blob = mediaId + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf(blob, MediaVariant.Original))!);
        // The names are new, so overwrite: true is a plain rename(2) (no link/unlink dance, which some network
        // file systems lack). The thumbnail goes first: once the file itself is in place, the blob is complete.
        if (File.Exists(staging.ThumbnailPath)) File.Move(staging.ThumbnailPath, PathOf(blob, MediaVariant.Thumbnail), overwrite: true);
        File.Move(staging.FilePath, PathOf(blob, MediaVariant.Original), overwrite: true);
        return ValueTask.FromResult(blob);
    }

    public ValueTask<Stream?> OpenReadAsync(string blob, MediaVariant variant, CancellationToken cancellationToken)
    {
        if (!IsBlob(blob)) return ValueTask.FromResult<Stream?>(null);
        try
        {
            // FileShare.Delete: a sweep may remove the file while it is being sent; the open handle keeps reading it.
            Stream stream = new FileStream(PathOf(blob, variant), new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read | FileShare.Delete,
                Options = FileOptions.SequentialScan,
            });
            return ValueTask.FromResult<Stream?>(stream);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return ValueTask.FromResult<Stream?>(null);
        }
    }

    public ValueTask DeleteAsync(string blob, CancellationToken cancellationToken)
    {
        if (!IsBlob(blob)) throw new ArgumentException("not a blob name", nameof(blob));
        File.Delete(PathOf(blob, MediaVariant.Thumbnail));
        File.Delete(PathOf(blob, MediaVariant.Original));
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> DeleteStaleStagingAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var before = _time.GetUtcNow().UtcDateTime - olderThan;
        var deleted = 0;
        foreach (var file in new DirectoryInfo(_staging).EnumerateFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.LastWriteTimeUtc >= before) continue;
            file.Delete();
            deleted++;
        }
        return ValueTask.FromResult(deleted);
    }

    private string PathOf(string blob, MediaVariant variant) =>
        Path.Combine(_root, blob[..2], variant == MediaVariant.Thumbnail ? blob + ThumbnailSuffix : blob);

    // Blob names come from the catalog; checking their shape keeps a bad row from naming a path outside the root.
    private static bool IsBlob(string blob) =>
        blob.Length == 73 && blob[64] == '-' && MediaIds.IsValid(blob[..64]) && MediaIds.IsLowerHex(blob.AsSpan(65));
}

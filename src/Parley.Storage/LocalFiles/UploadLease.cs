using Parley.Core.Media;

namespace Parley.Storage.LocalFiles;

/// <summary>
/// One request's hold on a resumable upload: while it lasts, nobody else (on any node) writes, finishes or deletes
/// the upload. Disposing lets go. What it reports was read under the hold, so it does not change underneath.
/// </summary>
public sealed class UploadLease : IAsyncDisposable
{
    private readonly LocalUploadFiles _files;
    private readonly FileStream _lock;

    internal UploadLease(LocalUploadFiles files, UploadState state, FileStream held)
    {
        _files = files;
        _lock = held;
        State = state;
        var id = state.Upload.Id;
        Staging = new MediaStaging(files.PathOf(id, LocalUploadFiles.DataSuffix), files.PathOf(id, LocalUploadFiles.ThumbnailSuffix));
    }

    /// <summary>The upload and its offset when the hold was taken (or after <see cref="Refresh"/>).</summary>
    public UploadState State { get; private set; }

    /// <summary>
    /// The upload's bytes, and where a thumbnail goes, for turning it into a media: committing it moves the data file
    /// into the media store. (Do not dispose it: that would delete the data whatever happened.)
    /// </summary>
    public MediaStaging Staging { get; }

    /// <summary>Opens the data file for writing at its end (the offset). No buffer: writes go straight to the file.</summary>
    public FileStream OpenAppend()
    {
        var stream = new FileStream(Staging.FilePath, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        stream.Seek(0, SeekOrigin.End);
        return stream;
    }

    /// <summary>Reads the offset again from the data file (after a write).</summary>
    public void Refresh() => State = State with { Offset = new FileInfo(Staging.FilePath).Length };

    /// <summary>Marks this moment as the upload's last activity (a PATCH): its expiry counts from here.</summary>
    public void Touch()
    {
        if (File.Exists(Staging.FilePath)) File.SetLastWriteTimeUtc(Staging.FilePath, _files.Now.UtcDateTime);
    }

    /// <summary>Records that the upload became <paramref name="mediaId"/>, and removes whatever of its files the media store did not take.</summary>
    public async ValueTask FinishAsync(string mediaId, CancellationToken cancellationToken)
    {
        var finished = State.Upload with { MediaId = mediaId };
        await _files.WriteRecordAsync(finished, cancellationToken);
        State = new UploadState(finished, finished.Length);
        // After a commit both were renamed away; when the same bytes were already stored they are still here.
        File.Delete(Staging.FilePath);
        File.Delete(Staging.ThumbnailPath);
    }

    /// <summary>Deletes the upload: the record first, so that from then on it is gone for every reader, then its files.</summary>
    public ValueTask DeleteAsync(CancellationToken cancellationToken)
    {
        var id = State.Upload.Id;
        File.Delete(_files.PathOf(id, LocalUploadFiles.RecordSuffix));
        File.Delete(Staging.FilePath);
        File.Delete(Staging.ThumbnailPath);
        // A request waiting for the lock holds the old file open; once it gets it, it finds no record and reports 404.
        File.Delete(_files.PathOf(id, LocalUploadFiles.LockSuffix));
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}

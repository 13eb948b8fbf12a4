using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Media;

namespace Parley.Storage.LocalFiles;

/// <summary>
/// Resumable uploads in files beside the media: <c>&lt;root&gt;/.uploads/&lt;id&gt;.json</c> (the record),
/// <c>&lt;id&gt;.part</c> (the bytes so far: its length is the upload's offset) and <c>&lt;id&gt;.lock</c> (held,
/// with an exclusive <c>flock</c>, by the one request that writes the upload). Nothing lives only in one process's
/// memory, so any node sharing the media directory continues an upload that another node created, and a restart
/// loses nothing the disk had. The bytes sit on the media's file system, so the finished upload becomes a media by
/// a rename, as a <c>POST /v1/media</c> staging file does.
/// </summary>
public sealed class LocalUploadFiles
{
    internal const string RecordSuffix = ".json";
    internal const string DataSuffix = ".part";
    internal const string ThumbnailSuffix = ".thumb.part";
    internal const string LockSuffix = ".lock";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(200);

    private readonly string _directory;
    private readonly TimeProvider _time;

    public LocalUploadFiles(string mediaRoot, TimeProvider time)
    {
        _directory = Path.Combine(Path.GetFullPath(mediaRoot), ".uploads");
        _time = time;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>The directory the uploads are in.</summary>
    public string UploadsDirectory => _directory;

    /// <summary>Records a new, empty upload and returns it.</summary>
    public async ValueTask<ResumableUpload> CreateAsync(string owner, string mime, long length, string? metadata, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var upload = new ResumableUpload(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(ResumableUpload.IdLength / 2)),
            owner, mime, length, metadata, now.ToUnixTimeMilliseconds(), MediaId: null);
        // The record comes last: an upload exists once its record does, and then its data and lock files are there.
        File.Create(PathOf(upload.Id, DataSuffix)).Dispose();
        File.SetLastWriteTimeUtc(PathOf(upload.Id, DataSuffix), now.UtcDateTime);
        File.Create(PathOf(upload.Id, LockSuffix)).Dispose();
        await WriteRecordAsync(upload, cancellationToken);
        return upload;
    }

    /// <summary>The upload and its offset; null when there is none (never created, deleted, swept, or its bytes are gone).</summary>
    public async ValueTask<UploadState?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!ResumableUpload.IsValidId(id)) return null;
        var upload = await ReadRecordAsync(id, cancellationToken);
        if (upload is null) return null;
        if (upload.MediaId is not null) return new UploadState(upload, upload.Length);
        var data = new FileInfo(PathOf(id, DataSuffix));
        return data.Exists ? new UploadState(upload, data.Length) : null;
    }

    /// <summary>
    /// Takes the upload for writing, waiting up to <paramref name="wait"/> while another request (on any node) holds
    /// it. Null lease and not busy: there is no such upload. Busy: it was still held when the wait ended.
    /// </summary>
    public async ValueTask<(UploadLease? Lease, bool Busy)> LockAsync(string id, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!ResumableUpload.IsValidId(id)) return (null, false);
        var waited = Stopwatch.StartNew();
        var retry = FirstRetry;
        while (true)
        {
            FileStream held;
            try
            {
                // FileShare.None is an exclusive flock(2) on Linux: other processes, and other handles in this one, fail to take it.
                held = new FileStream(PathOf(id, LockSuffix), FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                return (null, false);
            }
            catch (IOException)
            {
                if (waited.Elapsed >= wait) return (null, true);
                // Another request holds the lock; it gives no signal when it lets go, and it may be on another node.
                await Task.Delay(Min(retry, wait - waited.Elapsed), cancellationToken);
                retry = Min(retry * 2, LongestRetry);
                continue;
            }
            // The holder may have deleted the upload before letting go: the record says whether it still exists.
            UploadState? state;
            try
            {
                state = await FindAsync(id, cancellationToken);
            }
            catch
            {
                // Cancelled (or failed) after the lock was taken: let it go now, not when the handle is finalized.
                await held.DisposeAsync();
                throw;
            }
            if (state is null)
            {
                await held.DisposeAsync();
                return (null, false);
            }
            return (new UploadLease(this, state, held), false);
        }
    }

    /// <summary>
    /// Deletes the uploads (finished or not) with no activity since <paramref name="before"/>: no PATCH, and no
    /// creation or completion. An upload being written is skipped. Also removes the files a creation that died
    /// left without a record. Returns how many uploads were deleted.
    /// </summary>
    public async ValueTask<int> SweepAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var record in new DirectoryInfo(_directory).EnumerateFiles("*" + RecordSuffix))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var id = Path.GetFileNameWithoutExtension(record.Name);
            if (!ResumableUpload.IsValidId(id) || LastActivity(id) >= before) continue;
            var (lease, _) = await LockAsync(id, TimeSpan.Zero, cancellationToken);
            if (lease is null) continue;
            await using (lease)
            {
                // A PATCH may have come in between the look and the lock.
                if (LastActivity(id) >= before) continue;
                await lease.DeleteAsync(cancellationToken);
                deleted++;
            }
        }
        foreach (var file in new DirectoryInfo(_directory).EnumerateFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.Name.EndsWith(RecordSuffix, StringComparison.Ordinal) || file.Name.Length < ResumableUpload.IdLength) continue;
            var id = file.Name[..ResumableUpload.IdLength];
            if (file.LastWriteTimeUtc < before.UtcDateTime && !File.Exists(PathOf(id, RecordSuffix))) file.Delete();
        }
        return deleted;
    }

    internal string PathOf(string id, string suffix) => Path.Combine(_directory, id + suffix);

    internal DateTimeOffset Now => _time.GetUtcNow();

    internal async ValueTask WriteRecordAsync(ResumableUpload upload, CancellationToken cancellationToken)
    {
        // Written aside and renamed: a reader on any node sees the old record or the new one, never half of one.
        var path = PathOf(upload.Id, RecordSuffix);
        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".tmp";
        await File.WriteAllBytesAsync(temporary, JsonSerializer.SerializeToUtf8Bytes(upload, UploadJsonContext.Default.ResumableUpload), cancellationToken);
        File.SetLastWriteTimeUtc(temporary, Now.UtcDateTime);
        File.Move(temporary, path, overwrite: true);
    }

    private async ValueTask<ResumableUpload?> ReadRecordAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(PathOf(id, RecordSuffix), cancellationToken);
            return JsonSerializer.Deserialize(bytes, UploadJsonContext.Default.ResumableUpload);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The later of the record's and the data's last write: creation, each PATCH (which touches the data), completion.</summary>
    private DateTimeOffset LastActivity(string id)
    {
        var record = File.GetLastWriteTimeUtc(PathOf(id, RecordSuffix));
        var data = new FileInfo(PathOf(id, DataSuffix));
        return new DateTimeOffset(data.Exists && data.LastWriteTimeUtc > record ? data.LastWriteTimeUtc : record, TimeSpan.Zero);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Core.Media;
using Parley.Storage.LocalFiles;

namespace Parley.Server.Media.Tus;

/// <summary>
/// The resumable uploads behind /v1/uploads: creating them, appending a PATCH's bytes (streamed to the upload's
/// file through one pooled buffer), and, when the last byte is there, making the media exactly as
/// <c>POST /v1/media</c> does (<see cref="MediaUploads.UploadStagedAsync"/>). The uploads live in files in the media
/// directory (<see cref="LocalUploadFiles"/>), so every node sharing it can continue any of them.
/// </summary>
internal sealed partial class ResumableUploads(
    LocalUploadFiles files, MediaUploads media, InFlightPatches inFlight, IOptions<UploadOptions> options, ILogger<ResumableUploads> logger)
{
    private const int BufferSize = 64 * 1024;
    private readonly TimeSpan _lockWait = options.Value.LockWait;

    public ValueTask<ResumableUpload> CreateAsync(string owner, string mime, long length, string? metadata, CancellationToken cancellationToken) =>
        files.CreateAsync(owner, mime, length, metadata, cancellationToken);

    /// <summary>
    /// The upload as HEAD reports it, when <paramref name="user"/> owns it. A complete upload that is not yet a media
    /// (its last PATCH failed on the server's side) is finished first, so that HEAD can name the media.
    /// </summary>
    public async Task<PatchOutcome> GetAsync(string id, string user, CancellationToken cancellationToken)
    {
        var state = await files.FindAsync(id, cancellationToken);
        if (state is null || state.Upload.Owner != user) return new PatchOutcome(PatchStatus.NotFound);
        if (!state.IsComplete || state.Upload.MediaId is not null) return new PatchOutcome(PatchStatus.Done, state);
        var (lease, busy) = await files.LockAsync(id, _lockWait, cancellationToken);
        if (lease is null) return new PatchOutcome(busy ? PatchStatus.Busy : PatchStatus.NotFound);
        await using (lease)
        {
            return lease.State.Upload.MediaId is null && lease.State.IsComplete
                ? await FinishAsync(lease, sha256: null)
                : new PatchOutcome(PatchStatus.Done, lease.State);
        }
    }

    /// <summary>
    /// A PATCH: <paramref name="body"/> appended at <paramref name="offset"/>. Bytes are written as they arrive, so
    /// whatever reached the server before the client went away is kept and counted in the offset. Nothing here
    /// follows the request's own cancellation: a client that went away may have left bytes in the server's buffers,
    /// which are still read (the body then ends with an error, as it does when the connection times out).
    /// </summary>
    public async Task<PatchOutcome> AppendAsync(string id, string user, long offset, long? contentLength, Stream body)
    {
        var state = await files.FindAsync(id, CancellationToken.None);
        if (state is null || state.Upload.Owner != user) return new PatchOutcome(PatchStatus.NotFound);

        var request = inFlight.Begin(id);
        try
        {
            var (lease, refusal) = await LockForAsync(id, state, request);
            if (lease is null) return refusal!;
            await using (lease)
            {
                if (offset != lease.State.Offset) return new PatchOutcome(PatchStatus.OffsetMismatch, lease.State);
                // A finished upload takes no more bytes; an empty PATCH at its end is simply answered.
                if (lease.State.Upload.MediaId is not null) return new PatchOutcome(PatchStatus.Done, lease.State);
                // A declared length that goes past the upload is refused before anything is read.
                if (contentLength > lease.State.Upload.Length - offset) return new PatchOutcome(PatchStatus.TooLong, lease.State);

                var (written, sha256, interruption) = await WriteAsync(lease, body, request.Token);
                lease.Touch();
                lease.Refresh();
                if (written == WriteEnd.TooLong) return new PatchOutcome(PatchStatus.TooLong, lease.State);
                if (written == WriteEnd.Interrupted)
                {
                    LogInterrupted(logger, id, lease.State.Offset, lease.State.Upload.Length, interruption!);
                    return new PatchOutcome(request.IsCancellationRequested ? PatchStatus.Superseded : PatchStatus.Interrupted, lease.State);
                }
                return lease.State.IsComplete ? await FinishAsync(lease, sha256) : new PatchOutcome(PatchStatus.Done, lease.State);
            }
        }
        finally
        {
            inFlight.End(id, request);
        }
    }

    /// <summary>DELETE: the upload and its bytes are gone (a finished upload's media stays). False when there is none of the caller's.</summary>
    public async Task<PatchOutcome> DeleteAsync(string id, string user, CancellationToken cancellationToken)
    {
        var state = await files.FindAsync(id, cancellationToken);
        if (state is null || state.Upload.Owner != user) return new PatchOutcome(PatchStatus.NotFound);
        var request = inFlight.Begin(id);
        try
        {
            var (lease, refusal) = await LockForAsync(id, state, request);
            if (lease is null) return refusal!;
            await using (lease)
            {
                await lease.DeleteAsync(CancellationToken.None);
                return new PatchOutcome(PatchStatus.Done);
            }
        }
        finally
        {
            inFlight.End(id, request);
        }
    }

    /// <summary>
    /// The upload's lock for a PATCH or DELETE, or the answer when it cannot have it: busy on another node, gone, or
    /// taken over by a newer request on this node while it waited.
    /// </summary>
    private async Task<(UploadLease? Lease, PatchOutcome? Refusal)> LockForAsync(string id, UploadState state, CancellationTokenSource request)
    {
        try
        {
            var (lease, busy) = await files.LockAsync(id, _lockWait, request.Token);
            return lease is null ? (null, new PatchOutcome(busy ? PatchStatus.Busy : PatchStatus.NotFound)) : (lease, null);
        }
        catch (OperationCanceledException) when (request.IsCancellationRequested)
        {
            return (null, new PatchOutcome(PatchStatus.Superseded, state));
        }
    }

    private enum WriteEnd
    {
        Whole,
        Interrupted,
        TooLong,
    }

    /// <summary>
    /// Streams the body to the end of the upload's file. The SHA-256 is computed on the way only when the body holds
    /// the whole upload from its first byte; otherwise it is null and the finished file is read once more to hash it
    /// (.NET cannot save a hash's state, and the next PATCH may reach another node, so nothing is carried across).
    /// </summary>
    private static async Task<(WriteEnd End, byte[]? Sha256, Exception? Interruption)> WriteAsync(UploadLease lease, Stream body, CancellationToken cancellationToken)
    {
        var start = lease.State.Offset;
        var remaining = lease.State.Upload.Length - start;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var hash = start == 0 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        try
        {
            await using var file = lease.OpenAppend();
            while (true)
            {
                int read;
                try
                {
                    // Past the upload's length one more byte is asked for, to tell a body that ends there from one that goes on.
                    read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Clamp(remaining, 1, BufferSize)), cancellationToken);
                }
                catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
                {
                    return (WriteEnd.Interrupted, null, ex);
                }
                if (read == 0) break;
                if (remaining == 0)
                {
                    // The whole body is refused, not only its excess: the upload is left as it was before it.
                    file.SetLength(start);
                    return (WriteEnd.TooLong, null, null);
                }
                hash?.AppendData(buffer, 0, read);
                // Not cancellable: a chunk that was received is written whole, so the file holds exactly what arrived.
                await file.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                remaining -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return (WriteEnd.Whole, remaining == 0 ? hash?.GetHashAndReset() : null, null);
    }

    /// <summary>
    /// Makes the complete upload a media. Once every byte is here this runs to its end whatever the client does
    /// (hence no cancellation). Bytes that cannot become a media end the upload; a failure of the server's own
    /// (the store, the disk) leaves it complete and unfinished, and the next HEAD or PATCH tries again.
    /// </summary>
    private async Task<PatchOutcome> FinishAsync(UploadLease lease, byte[]? sha256)
    {
        var upload = lease.State.Upload;
        if (media.KindOf(upload.Mime) is null)
        {
            // The allowed types changed since the upload was created.
            await lease.DeleteAsync(CancellationToken.None);
            return new PatchOutcome(PatchStatus.Refused, Error: UploadError.Unsupported($"{upload.Mime} is no longer allowed"));
        }
        var (stored, error) = await media.UploadStagedAsync(upload.Owner, upload.Mime, lease.Staging, sha256, CancellationToken.None);
        if (stored is null)
        {
            await lease.DeleteAsync(CancellationToken.None);
            LogRefused(logger, upload.Id, error!.Message);
            return new PatchOutcome(PatchStatus.Refused, Error: error);
        }
        await lease.FinishAsync(stored.Info.Id, CancellationToken.None);
        LogFinished(logger, upload.Id, stored.Info.Id);
        return new PatchOutcome(PatchStatus.Done, lease.State);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Debug, Message = "Upload {UploadId}: a PATCH ended early at {Offset} of {Length} bytes; the bytes are kept")]
    private static partial void LogInterrupted(ILogger logger, string uploadId, long offset, long length, Exception exception);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Debug, Message = "Upload {UploadId} became media {MediaId}")]
    private static partial void LogFinished(ILogger logger, string uploadId, string mediaId);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Debug, Message = "Upload {UploadId} was refused at its end and deleted: {Reason}")]
    private static partial void LogRefused(ILogger logger, string uploadId, string reason);
}

using System.Buffers;
using System.Security.Cryptography;
using Parley.Core.Media;

namespace Parley.Server.Media;

/// <summary>
/// Streams a request body into a staging file, hashing as it goes: memory stays at one buffer whatever the size.
/// Stops at once when the body passes its limit or its leading bytes are not the declared type.
/// </summary>
internal static class UploadReceiver
{
    private const int BufferSize = 64 * 1024;

    public static async Task<(ReceivedUpload? Upload, UploadError? Error)> ReceiveAsync(
        Stream body, MediaStaging staging, string mime, long limit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var head = new byte[MediaSniffer.HeadLength];
        var headLength = 0;
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            // No buffer of its own: writes are already a buffer's worth.
            await using var file = new FileStream(staging.FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                size += read;
                if (size > limit) return (null, UploadError.TooLarge($"{mime} uploads are at most {limit} bytes"));
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                    headLength += take;
                    // Checked as soon as there is enough to check, so a mislabelled file is refused before it is all sent.
                    if (headLength == head.Length && !MediaSniffer.Matches(mime, head, whole: false)) return (null, Mismatch(mime));
                }
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (size == 0) return (null, UploadError.Invalid("the upload is empty"));
        if (headLength < head.Length && !MediaSniffer.Matches(mime, head.AsSpan(0, headLength), whole: true)) return (null, Mismatch(mime));
        return (new ReceivedUpload(size, MediaIds.FromHash(hash.GetHashAndReset())), null);
    }

    /// <summary>
    /// Checks a file already staged in full: not empty, its leading bytes of type <paramref name="mime"/>. It is read
    /// once more to hash it unless <paramref name="sha256"/> is already its hash.
    /// </summary>
    public static async Task<(ReceivedUpload? Upload, UploadError? Error)> CheckStagedAsync(
        MediaStaging staging, string mime, byte[]? sha256, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(staging.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
        var size = file.Length;
        if (size == 0) return (null, UploadError.Invalid("the upload is empty"));
        var head = new byte[(int)Math.Min(size, MediaSniffer.HeadLength)];
        await file.ReadExactlyAsync(head, cancellationToken);
        if (!MediaSniffer.Matches(mime, head, whole: size <= MediaSniffer.HeadLength)) return (null, Mismatch(mime));
        if (sha256 is null)
        {
            file.Position = 0;
            sha256 = await SHA256.HashDataAsync(file, cancellationToken);
        }
        return (new ReceivedUpload(size, MediaIds.FromHash(sha256)), null);
    }

    private static UploadError Mismatch(string mime) => UploadError.Unsupported($"the bytes are not {mime}");
}

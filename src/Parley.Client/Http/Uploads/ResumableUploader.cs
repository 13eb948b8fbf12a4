using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Parley.Protocol;

namespace Parley.Client.Http.Uploads;

/// <summary>
/// The client side of tus 1.0.0 (core and <c>creation</c>; <c>termination</c> when cancelled) against <c>/v1/uploads</c>:
/// creates the upload, sends the file in <c>PATCH</c>es of at most <see cref="ResumableUploadOptions.ChunkSize"/> bytes,
/// and after a failure that may pass asks <c>HEAD</c> where the server's bytes end and goes on from there (the server
/// keeps the bytes of a <c>PATCH</c> that was cut).
/// </summary>
internal sealed class ResumableUploader(ParleyHttpClient http, ResumableUploadOptions options)
{
    private const string TusVersion = "1.0.0";
    private const string OffsetOctetStream = "application/offset+octet-stream";
    private const string MediaIdHeader = "Parley-Media-Id";

    public async Task<MediaUpload> UploadAsync(string token, Stream content, string contentType, IProgress<UploadProgress>? progress, CancellationToken cancellationToken)
    {
        if (!content.CanSeek) throw new ArgumentException("a resumable upload reads its file again from where the server's bytes end: the stream must be seekable", nameof(content));
        var mime = MediaTypeHeaderValue.Parse(contentType).MediaType!.ToLowerInvariant();
        var origin = content.Position;
        var length = content.Length - origin;
        var failures = 0;
        Uri? upload = null;
        while (upload is null)
        {
            try
            {
                upload = await CreateAsync(token, length, contentType, cancellationToken);
            }
            catch (ParleyException e) when (MayPass(e) && failures < options.RetryDelays.Count)
            {
                // A creation whose answer was lost leaves an upload nobody continues: it is swept at its expiry.
                await WaitAsync(failures++, e, cancellationToken);
            }
        }

        try
        {
            return await SendAsync(token, upload, content, origin, length, mime, progress, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await TerminateAsync(token, upload);
            throw;
        }
    }

    private async Task<MediaUpload> SendAsync(
        string token, Uri upload, Stream content, long origin, long length, string mime, IProgress<UploadProgress>? progress, CancellationToken cancellationToken)
    {
        long? offset = 0;
        long confirmed = 0;
        var failures = 0;
        progress?.Report(new UploadProgress(0, length));
        while (true)
        {
            try
            {
                if (offset is null)
                {
                    var (held, heldMedia) = await HeadAsync(token, upload, cancellationToken);
                    if (heldMedia is not null) return Finished(heldMedia, mime, length);
                    // The cut PATCH left bytes on the server: that is progress, and the count of tries starts again.
                    if (held > confirmed) failures = 0;
                    (offset, confirmed) = (held, held);
                    progress?.Report(new UploadProgress(held, length));
                }
                var at = offset.Value;
                content.Position = origin + at;
                var (next, mediaId) = await PatchAsync(token, upload, new ChunkContent(content, at, Math.Min(options.ChunkSize, length - at), length, progress), at, cancellationToken);
                if (mediaId is not null) return Finished(mediaId, mime, length);
                if (next <= at || next >= length)
                {
                    // Nothing taken, or every byte taken and no media named: not what the server should answer; HEAD tells.
                    throw new ParleyException(ErrorCodes.Conflict, $"the server answered the PATCH at {at} with offset {next} and no media", httpStatus: (int)HttpStatusCode.Conflict);
                }
                (offset, confirmed, failures) = (next, next, 0);
            }
            catch (ParleyException e) when (MayPass(e) && failures < options.RetryDelays.Count)
            {
                await WaitAsync(failures++, e, cancellationToken);
                offset = null;
            }
        }
    }

    private async Task<Uri> CreateAsync(string token, long length, string contentType, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Post, new Uri(http.ServerUri, "v1/uploads"), token);
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", "filetype " + Convert.ToBase64String(Encoding.UTF8.GetBytes(contentType)));
        using var response = await http.SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) throw await ParleyHttpClient.ErrorAsync(response, cancellationToken);
        var location = response.Headers.Location ?? throw new ParleyException(ErrorCodes.Internal, "the server created the upload but named no Location", httpStatus: 201);
        // tus allows a relative Location: it is relative to the request's address.
        return location.IsAbsoluteUri ? location : new Uri(request.RequestUri!, location);
    }

    private async Task<(long Offset, string? MediaId)> HeadAsync(string token, Uri upload, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Head, upload, token);
        using var response = await http.SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await ParleyHttpClient.ErrorAsync(response, cancellationToken);
        return (ReadOffset(response), MediaIdOf(response));
    }

    private async Task<(long Offset, string? MediaId)> PatchAsync(string token, Uri upload, ChunkContent chunk, long offset, CancellationToken cancellationToken)
    {
        using var request = Tus(HttpMethod.Patch, upload, token);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new StreamContent(chunk);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(OffsetOctetStream);
        request.Content.Headers.ContentLength = chunk.Length;
        using var response = await http.SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent) throw await ParleyHttpClient.ErrorAsync(response, cancellationToken);
        return (ReadOffset(response), MediaIdOf(response));
    }

    /// <summary>Best effort, whatever the caller's token says (it is cancelled already): the server sweeps what is left anyway.</summary>
    private async Task TerminateAsync(string token, Uri upload)
    {
        using var timeout = new CancellationTokenSource(options.CancelTimeout);
        try
        {
            using var request = Tus(HttpMethod.Delete, upload, token);
            using var response = await http.SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token);
        }
        catch (Exception e) when (e is ParleyException or OperationCanceledException)
        {
            // Not deleted now: it expires on the server.
        }
    }

    private async Task WaitAsync(int failures, ParleyException failure, CancellationToken cancellationToken)
    {
        var delay = options.RetryDelays[failures];
        if (failure.RetryAfterMs is { } after && TimeSpan.FromMilliseconds(after) > delay) delay = TimeSpan.FromMilliseconds(after);
        await Task.Delay(delay, cancellationToken);
    }

    /// <summary>Failures another try may get past: the network, a timeout, a request still holding the upload, load.</summary>
    private static bool MayPass(ParleyException e) =>
        e.Code == ClientErrorCodes.Unreachable || e.HttpStatus is 409 or 423 or 429 or >= 500;

    private static HttpRequestMessage Tus(HttpMethod method, Uri uri, string token)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Tus-Resumable", TusVersion);
        return request;
    }

    private static long ReadOffset(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Upload-Offset", out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new ParleyException(ErrorCodes.Internal, "the server's answer has no Upload-Offset", httpStatus: (int)response.StatusCode);

    private static string? MediaIdOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(MediaIdHeader, out var values) ? values.FirstOrDefault() : null;

    /// <summary>What a resumable upload learns of its media: the id (the SHA-256 of the bytes), the type and the size.</summary>
    private static MediaUpload Finished(string mediaId, string mime, long length) => new(mediaId, mime, length, mediaId, null, null, null, false);
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Http.Uploads;
using Parley.Protocol;

namespace Parley.Client.Http;

/// <summary>
/// The HTTP API of a Parley server: accounts, sessions (tokens), users and media. Errors become
/// <see cref="ParleyException"/>: the server's with the protocol's error code and the HTTP status, a server that cannot
/// be reached (refused, reset, unknown host, no answer within <see cref="HttpClient.Timeout"/>) with
/// <see cref="ClientErrorCodes.Unreachable"/> and a message that names the server.
/// </summary>
public sealed class ParleyHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>A client of the server at <paramref name="serverUri"/> (its HTTP base, e.g. <c>http://127.0.0.1:8080/</c>).</summary>
    public ParleyHttpClient(Uri serverUri)
        : this(new HttpClient(), serverUri, ownsHttpClient: true)
    {
    }

    /// <summary>A client over an existing <see cref="HttpClient"/>, which it does not dispose.</summary>
    public ParleyHttpClient(HttpClient httpClient, Uri serverUri)
        : this(httpClient, serverUri, ownsHttpClient: false)
    {
    }

    private ParleyHttpClient(HttpClient httpClient, Uri serverUri, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(serverUri);
        _http = httpClient;
        _ownsHttp = ownsHttpClient;
        ServerUri = serverUri.AbsoluteUri.EndsWith('/') ? serverUri : new Uri(serverUri.AbsoluteUri + "/");
    }

    /// <summary>The server's HTTP base.</summary>
    public Uri ServerUri { get; }

    /// <summary><c>POST /v1/users</c>: registers a user.</summary>
    /// <exception cref="ParleyException"><c>bad_request</c> (bad username, password under 8 characters), <c>conflict</c> (taken).</exception>
    public async Task<UserProfile> RegisterAsync(string username, string password, string? displayName = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Relative("v1/users"))
        {
            Content = JsonContent.Create(new RegisterBody(username, password, displayName), HttpJsonContext.Default.RegisterBody),
        };
        return await SendAsync(request, HttpJsonContext.Default.UserProfile, cancellationToken);
    }

    /// <summary><c>POST /v1/sessions</c>: logs a device in.</summary>
    /// <exception cref="ParleyException"><c>unauthorized</c> for a wrong username or password.</exception>
    public async Task<ParleySession> LoginAsync(string username, string password, string? deviceName = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Relative("v1/sessions"))
        {
            Content = JsonContent.Create(new LoginBody(username, password, deviceName), HttpJsonContext.Default.LoginBody),
        };
        return await SendAsync(request, HttpJsonContext.Default.ParleySession, cancellationToken);
    }

    /// <summary><c>DELETE /v1/sessions/current</c>: revokes the token at once and closes its sockets.</summary>
    public async Task LogoutAsync(string token, CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Delete, "v1/sessions/current", token);
        await SendAsync(request, cancellationToken);
    }

    /// <summary><c>DELETE /v1/users/me</c>: deletes the account; every token is revoked.</summary>
    /// <exception cref="ParleyException"><c>forbidden</c> for a wrong password.</exception>
    public async Task DeleteAccountAsync(string token, string password, CancellationToken cancellationToken = default)
    {
        using var request = Authorized(HttpMethod.Delete, "v1/users/me", token);
        request.Content = JsonContent.Create(new PasswordBody(password), HttpJsonContext.Default.PasswordBody);
        await SendAsync(request, cancellationToken);
    }

    /// <summary><c>GET /v1/users/{username}</c>: whether an account exists, and its display name (as a phone checks a number).</summary>
    /// <param name="token">A session's bearer token: the directory is open to logged-in users only.</param>
    /// <param name="username">The username to look up.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The user, or null when there is no live account of that name (unknown, malformed or deleted).</returns>
    /// <exception cref="ParleyException"><c>unauthorized</c> when the token is not valid.</exception>
    public async Task<UserProfile?> GetUserAsync(string token, string username, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        using var request = Authorized(HttpMethod.Get, "v1/users/" + Uri.EscapeDataString(username), token);
        try
        {
            return await SendAsync(request, HttpJsonContext.Default.UserProfile, cancellationToken);
        }
        catch (ParleyException e) when (e.HttpStatus == (int)HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// How files of at least <see cref="ResumableUploadOptions.Threshold"/> bytes are uploaded (resumably, through
    /// <c>/v1/uploads</c>). Set it before uploading.
    /// </summary>
    public ResumableUploadOptions ResumableUploads { get; set; } = new();

    /// <summary>
    /// Uploads a file (streamed) of type <paramref name="contentType"/>: one <c>POST /v1/media</c>, or, for a seekable
    /// stream of at least <see cref="ResumableUploadOptions.Threshold"/> bytes, a resumable upload
    /// (<see cref="UploadResumableAsync"/>).
    /// </summary>
    /// <exception cref="ParleyException"><c>too_large</c> (413), <c>unsupported_type</c> (415).</exception>
    public Task<MediaUpload> UploadMediaAsync(string token, Stream content, string contentType, CancellationToken cancellationToken = default) =>
        UploadMediaAsync(token, content, contentType, progress: null, cancellationToken);

    /// <summary>
    /// Uploads a file (streamed) of type <paramref name="contentType"/>, reporting its progress: one
    /// <c>POST /v1/media</c>, or, for a seekable stream of at least <see cref="ResumableUploadOptions.Threshold"/> bytes, a
    /// resumable upload (<see cref="UploadResumableAsync"/>). Progress is reported only when the stream can tell its length.
    /// </summary>
    /// <param name="token">A session's bearer token.</param>
    /// <param name="content">The file, read from its current position to its end.</param>
    /// <param name="contentType">The file's MIME type.</param>
    /// <param name="progress">Told the bytes sent so far, as they go; null for none.</param>
    /// <param name="cancellationToken">Stops the upload (a resumable one is deleted on the server).</param>
    /// <exception cref="ParleyException"><c>too_large</c> (413), <c>unsupported_type</c> (415).</exception>
    public async Task<MediaUpload> UploadMediaAsync(string token, Stream content, string contentType, IProgress<UploadProgress>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var length = content.CanSeek ? content.Length - content.Position : (long?)null;
        if (length >= ResumableUploads.Threshold) return await UploadResumableAsync(token, content, contentType, progress, cancellationToken);

        using var request = Authorized(HttpMethod.Post, "v1/media", token);
        request.Content = length is { } known && progress is not null
            ? new StreamContent(new ChunkContent(content, 0, known, known, progress))
            : new StreamContent(content);
        request.Content.Headers.ContentLength = length;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await SendAsync(request, HttpJsonContext.Default.MediaUpload, cancellationToken);
    }

    /// <summary>
    /// Uploads a file resumably (tus 1.0.0 at <c>/v1/uploads</c>), whatever its size: in <c>PATCH</c>es of at most
    /// <see cref="ResumableUploadOptions.ChunkSize"/> bytes, and, when the connection drops or the server is briefly
    /// unavailable, again from where the server's bytes end, after each of <see cref="ResumableUploadOptions.RetryDelays"/>
    /// in turn (a try that moved the upload on starts the count again).
    /// </summary>
    /// <param name="token">A session's bearer token.</param>
    /// <param name="content">The file, read from its current position to its end; it must be seekable (it is read again after a drop).</param>
    /// <param name="contentType">The file's MIME type (checked against its leading bytes when the last byte arrives).</param>
    /// <param name="progress">Told the bytes sent so far; after a drop it goes back to what the server holds.</param>
    /// <param name="cancellationToken">Stops the upload; the upload is then deleted on the server (best effort: else it expires there).</param>
    /// <returns>
    /// The media: its id (the SHA-256 of the bytes, as <see cref="MediaUpload.Sha256"/>), type and size. What the server
    /// learns inside the file (width, height, duration, thumbnail) is not part of a resumable upload's answer: those are
    /// null and <see cref="MediaUpload.Thumbnail"/> false; the message that carries the media has them.
    /// </returns>
    /// <exception cref="ParleyException">
    /// <c>too_large</c> (413), <c>unsupported_type</c> (415, at creation, or at the end when the bytes are not of the type),
    /// <c>not_found</c> (the upload expired), or the last failure (<see cref="ClientErrorCodes.Unreachable"/> ...) once the tries are used up.
    /// </exception>
    public Task<MediaUpload> UploadResumableAsync(string token, Stream content, string contentType, IProgress<UploadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        return new ResumableUploader(this, ResumableUploads).UploadAsync(token, content, contentType, progress, cancellationToken);
    }

    /// <summary><c>GET /v1/media/{id}</c> (or its <c>/thumbnail</c>): the bytes, as a stream the caller disposes.</summary>
    /// <exception cref="ParleyException"><c>not_found</c> when absent or not visible to the caller.</exception>
    public async Task<Stream> OpenMediaAsync(string token, string mediaId, bool thumbnail = false, CancellationToken cancellationToken = default)
    {
        var path = "v1/media/" + Uri.EscapeDataString(mediaId) + (thumbnail ? "/thumbnail" : "");
        using var request = Authorized(HttpMethod.Get, path, token);
        var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.IsSuccessStatusCode) return await response.Content.ReadAsStreamAsync(cancellationToken);
        using (response) throw await ErrorAsync(response, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private Uri Relative(string path) => new(ServerUri, path);

    private HttpRequestMessage Authorized(HttpMethod method, string path, string token)
    {
        var request = new HttpRequestMessage(method, Relative(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
            ?? throw new ParleyException(ErrorCodes.Internal, "the server answered an empty body", httpStatus: (int)response.StatusCode);
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken);
    }

    /// <summary>Sends, turning a failure of the network into <see cref="ClientErrorCodes.Unreachable"/>; the caller's cancellation stays a cancellation.</summary>
    internal async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(Innermost(e).Message, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the caller giving up.
            throw Unreachable($"no answer within {_http.Timeout.TotalSeconds:0.###} s", e);
        }
    }

    private ParleyException Unreachable(string why, Exception cause) =>
        new(ClientErrorCodes.Unreachable, $"cannot reach the Parley server at {ServerUri}: {why}", cause);

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    internal static async Task<ParleyException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        ErrorBody? body = null;
        try
        {
            body = (await response.Content.ReadFromJsonAsync(HttpJsonContext.Default.ErrorEnvelope, cancellationToken))?.Error;
        }
        catch (JsonException)
        {
            // Not the protocol's error body (a proxy's page, say): the status alone tells the code.
        }
        catch (NotSupportedException)
        {
            // Not JSON at all.
        }
        long? retryAfterMs = response.Headers.RetryAfter?.Delta is { } delta ? (long)delta.TotalMilliseconds : null;
        return new ParleyException(
            body?.Code ?? CodeFor(response.StatusCode),
            body?.Message ?? $"HTTP {status} {response.ReasonPhrase}",
            retryAfterMs,
            status);
    }

    private static string CodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => ErrorCodes.BadRequest,
        HttpStatusCode.Unauthorized => ErrorCodes.Unauthorized,
        HttpStatusCode.Forbidden => ErrorCodes.Forbidden,
        HttpStatusCode.NotFound => ErrorCodes.NotFound,
        HttpStatusCode.Conflict => ErrorCodes.Conflict,
        HttpStatusCode.RequestEntityTooLarge => ErrorCodes.TooLarge,
        HttpStatusCode.UnsupportedMediaType => ErrorCodes.UnsupportedType,
        HttpStatusCode.TooManyRequests => ErrorCodes.RateLimited,
        HttpStatusCode.ServiceUnavailable => ErrorCodes.Overloaded,
        _ => ErrorCodes.Internal,
    };
}

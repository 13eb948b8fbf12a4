using System.Net.Http.Headers;
using Parley.Testing;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>tus requests written out header by header over a plain HttpClient, so that each can be bent for a test.</summary>
internal sealed class TusApi(Uri baseUri) : IDisposable
{
    public const string OffsetOctetStream = "application/offset+octet-stream";

    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };

    public TusApi(ServerProcess server)
        : this(server.BaseUri)
    {
    }

    public static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A request with the token and <c>Tus-Resumable: 1.0.0</c> unless told otherwise.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? token, bool tusResumable = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (tusResumable) request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>POST /v1/uploads with Upload-Length and (unless null) filetype in Upload-Metadata.</summary>
    public async Task<HttpResponseMessage> CreateAsync(string? token, long length, string? filetype, Action<HttpRequestMessage>? bend = null)
    {
        using var request = Request(HttpMethod.Post, "v1/uploads", token);
        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var metadata = "filename " + Base64("clip.bin") + (filetype is null ? "" : ",filetype " + Base64(filetype));
        request.Headers.TryAddWithoutValidation("Upload-Metadata", metadata);
        bend?.Invoke(request);
        return await _http.SendAsync(request);
    }

    /// <summary>Creates an upload and returns its URL (absolute, resolved against the server).</summary>
    public async Task<Uri> CreateOkAsync(string token, long length, string filetype)
    {
        using var response = await CreateAsync(token, length, filetype);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return new Uri(_http.BaseAddress!, response.Headers.Location!);
    }

    public async Task<HttpResponseMessage> HeadAsync(string? token, Uri upload, bool tusResumable = true)
    {
        using var request = Request(HttpMethod.Head, upload.ToString(), token, tusResumable);
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> PatchAsync(string? token, Uri upload, long offset, byte[] bytes, string contentType = OffsetOctetStream,
        Action<HttpRequestMessage>? bend = null)
    {
        using var request = Request(HttpMethod.Patch, upload.ToString(), token);
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        bend?.Invoke(request);
        return await _http.SendAsync(request);
    }

    public async Task<HttpResponseMessage> DeleteAsync(string? token, Uri upload)
    {
        using var request = Request(HttpMethod.Delete, upload.ToString(), token);
        return await _http.SendAsync(request);
    }

    /// <summary>The offset HEAD reports (the upload must exist).</summary>
    public async Task<long> OffsetAsync(string token, Uri upload)
    {
        using var response = await HeadAsync(token, upload);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return long.Parse(Header(response, "Upload-Offset")!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Asks HEAD until the offset reaches <paramref name="offset"/> (at most 10 s): while a PATCH is streaming, the
    /// offset is the only sign a client gets of what the server has.
    /// </summary>
    public async Task WaitForOffsetAsync(string token, Uri upload, long offset)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        long seen;
        while ((seen = await OffsetAsync(token, upload)) < offset)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the offset stayed at {seen}, short of {offset}");
            await Task.Delay(20);
        }
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public void Dispose() => _http.Dispose();
}

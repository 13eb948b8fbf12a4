using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Media;

/// <summary>The media HTTP calls over a plain HttpClient, as a client would make them.</summary>
internal sealed class MediaApi(ServerProcess server) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string? token, string? mime, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/media") { Content = content };
        if (mime is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(mime);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string? token, string? mime, byte[] bytes) =>
        UploadAsync(token, mime, new ByteArrayContent(bytes));

    /// <summary>Uploads and expects 201; returns the reply.</summary>
    public async Task<JsonElement> UploadOkAsync(string token, string mime, byte[] bytes)
    {
        var (status, body) = await UploadAsync(token, mime, bytes);
        Assert.True(status == HttpStatusCode.Created, $"upload answered {(int)status}: {body}");
        return body;
    }

    public async Task<HttpResponseMessage> GetAsync(string? token, string path, Action<HttpRequestHeaders>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        headers?.Invoke(request.Headers);
        return await _http.SendAsync(request);
    }

    public async Task<byte[]> DownloadAsync(string token, string id, bool thumbnail = false)
    {
        using var response = await GetAsync(token, thumbnail ? $"v1/media/{id}/thumbnail" : $"v1/media/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public async Task<HttpStatusCode> StatusOfAsync(string token, string path)
    {
        using var response = await GetAsync(token, path);
        return response.StatusCode;
    }

    /// <summary>The media files on disk (thumbnails and staging aside), for the dedupe and clean-up checks.</summary>
    public static string[] StoredFiles(ServerProcess server, string? mediaId = null)
    {
        var root = Path.Combine(server.DataDir, "media");
        if (!Directory.Exists(root)) return [];
        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/.staging/", StringComparison.Ordinal) && !f.EndsWith(".thumb.jpg", StringComparison.Ordinal))
            .Where(f => mediaId is null || Path.GetFileName(f).StartsWith(mediaId, StringComparison.Ordinal))
            .ToArray();
    }

    /// <summary>Files of uploads in progress or failed; empty once every upload has finished either way.</summary>
    public static string[] StagingFiles(ServerProcess server)
    {
        var staging = Path.Combine(server.DataDir, "media", ".staging");
        return Directory.Exists(staging) ? Directory.GetFiles(staging) : [];
    }

    public void Dispose() => _http.Dispose();
}

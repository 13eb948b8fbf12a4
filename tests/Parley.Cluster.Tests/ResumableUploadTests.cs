using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Parley.Testing;

namespace Parley.Cluster.Tests;

/// <summary>
/// A resumable upload lives in the media directory the nodes share, not in one node's memory: any node continues
/// it, and only one request on any node writes it at a time.
/// </summary>
public sealed class ResumableUploadTests : IAsyncLifetime
{
    private readonly string _media = Directory.CreateTempSubdirectory("parley-cluster-media-").FullName;
    private ClusterNodes _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ClusterNodes.StartAsync(2, [$"--Parley:Media:Directory={_media}", "--Parley:Uploads:LockWait=00:00:00.500"]);

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        Directory.Delete(_media, recursive: true);
    }

    [Fact]
    public async Task An_upload_created_on_one_node_is_continued_and_finished_on_another()
    {
        var (a, b) = (_cluster.Nodes[0], _cluster.Nodes[1]);
        var token = await WireClient.LoginAsync(a, "tus" + Guid.NewGuid().ToString("N")[..8]);
        var bytes = RandomText.Letters(300_000);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        using var created = await http.SendAsync(Tus(HttpMethod.Post, new Uri(a.BaseUri, "v1/uploads"), token, r =>
        {
            r.Headers.Add("Upload-Length", bytes.Length.ToString(CultureInfo.InvariantCulture));
            r.Headers.Add("Upload-Metadata", "filetype " + Convert.ToBase64String("text/plain"u8));
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var path = created.Headers.Location!.ToString();

        using (var first = await http.SendAsync(Patch(new Uri(a.BaseUri, path), token, 0, bytes[..100_000]))) Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        using (var head = await http.SendAsync(Tus(HttpMethod.Head, new Uri(b.BaseUri, path), token)))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("100000", head.Headers.GetValues("Upload-Offset").Single());
        }
        string mediaId;
        using (var last = await http.SendAsync(Patch(new Uri(b.BaseUri, path), token, 100_000, bytes[100_000..])))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
            mediaId = last.Headers.GetValues("Parley-Media-Id").Single();
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), mediaId);
        using (var head = await http.SendAsync(Tus(HttpMethod.Head, new Uri(a.BaseUri, path), token))) Assert.Equal(mediaId, head.Headers.GetValues("Parley-Media-Id").Single());

        using var download = new HttpRequestMessage(HttpMethod.Get, new Uri(a.BaseUri, "v1/media/" + mediaId));
        download.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var media = await http.SendAsync(download);
        Assert.Equal(bytes, await media.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task While_a_patch_on_one_node_holds_an_upload_another_node_answers_423_then_goes_on_once_it_is_free()
    {
        var (a, b) = (_cluster.Nodes[0], _cluster.Nodes[1]);
        var token = await WireClient.LoginAsync(a, "lock" + Guid.NewGuid().ToString("N")[..8]);
        var bytes = RandomText.Letters(200_000);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var created = await http.SendAsync(Tus(HttpMethod.Post, new Uri(a.BaseUri, "v1/uploads"), token, r =>
        {
            r.Headers.Add("Upload-Length", bytes.Length.ToString(CultureInfo.InvariantCulture));
            r.Headers.Add("Upload-Metadata", "filetype " + Convert.ToBase64String("text/plain"u8));
        }));
        var path = created.Headers.Location!.ToString();

        // A PATCH on node A that has sent part of its body and goes quiet, its connection open.
        using var stalled = new TcpClient();
        await stalled.ConnectAsync(a.BaseUri.Host, a.BaseUri.Port);
        var stream = stalled.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"PATCH {path} HTTP/1.1\r\nHost: {a.BaseUri.Authority}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\n"
            + $"Content-Type: application/offset+octet-stream\r\nContent-Length: {bytes.Length}\r\n\r\n"));
        await stream.WriteAsync(bytes.AsMemory(0, 50_000));
        await WaitForOffsetAsync(http, new Uri(b.BaseUri, path), token, 50_000);

        using (var busy = await http.SendAsync(Patch(new Uri(b.BaseUri, path), token, 50_000, bytes[50_000..])))
        {
            Assert.Equal((HttpStatusCode)423, busy.StatusCode);
            Assert.Equal("1.0.0", busy.Headers.GetValues("Tus-Resumable").Single());
        }

        // The quiet client goes away; node A lets go, and node B continues from what A kept.
        stalled.Client.Close();
        string? mediaId = null;
        for (var attempt = 0; attempt < 20 && mediaId is null; attempt++)
        {
            using var head = await http.SendAsync(Tus(HttpMethod.Head, new Uri(b.BaseUri, path), token));
            var offset = int.Parse(head.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
            using var patch = await http.SendAsync(Patch(new Uri(b.BaseUri, path), token, offset, bytes[offset..]));
            if (patch.StatusCode == HttpStatusCode.NoContent) mediaId = patch.Headers.GetValues("Parley-Media-Id").Single();
            else Assert.True(patch.StatusCode is HttpStatusCode.Conflict or (HttpStatusCode)423, $"PATCH answered {(int)patch.StatusCode}");
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), mediaId);
    }

    private static async Task WaitForOffsetAsync(HttpClient http, Uri upload, string token, long offset)
    {
        // While a PATCH streams, HEAD is the only sign of what the server has: asked until it shows, at most 10 s.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            using var head = await http.SendAsync(Tus(HttpMethod.Head, upload, token));
            if (long.Parse(head.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture) >= offset) return;
            Assert.True(DateTime.UtcNow < deadline, "the offset never reached " + offset);
            await Task.Delay(20);
        }
    }

    private static HttpRequestMessage Tus(HttpMethod method, Uri uri, string token, Action<HttpRequestMessage>? more = null)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        more?.Invoke(request);
        return request;
    }

    private static HttpRequestMessage Patch(Uri uri, string token, long offset, byte[] bytes) => Tus(HttpMethod.Patch, uri, token, r =>
    {
        r.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        r.Content = new ByteArrayContent(bytes);
        r.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
    });
}

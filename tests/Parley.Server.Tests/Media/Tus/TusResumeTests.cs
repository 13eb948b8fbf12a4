using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Parley.Testing;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>PATCHes that end early: the bytes that reached the server are kept, HEAD reports them, and the upload goes on from there.</summary>
public sealed class TusResumeTests(MediaServer fixture) : IClassFixture<MediaServer>, IDisposable
{
    private readonly TusApi _tus = new(fixture.Server);
    private readonly MediaApi _media = new(fixture.Server);

    [Fact]
    public async Task Bytes_of_a_patch_whose_client_went_away_are_kept_and_reported_by_head()
    {
        var token = await fixture.LoginAsync("cut");
        var video = MediaFiles.Mp4(200_000, 640, 480, 2000);
        var upload = await _tus.CreateOkAsync(token, video.Length, "video/mp4");

        // The body announces every byte, sends 70000 of them, and once the server has them the client's side closes.
        // (Bytes still in the server's network buffers when a connection ends are dropped by Kestrel with it: what is
        // kept is what the server has read, which HEAD shows as it goes.)
        await using (var raw = await RawHttp.ConnectAsync(fixture.Server.BaseUri))
        {
            await raw.WriteAsync(PatchHead(upload, token, offset: 0, contentLength: video.Length));
            await raw.WriteAsync(video[..70_000]);
            await _tus.WaitForOffsetAsync(token, upload, 70_000);
            raw.EndRequest();
        }
        await fixture.Server.WaitForOutputAsync($"Upload {upload.Segments[^1]}: a PATCH ended early at 70000 of {video.Length} bytes", TimeSpan.FromSeconds(30));
        Assert.Equal(70_000, await _tus.OffsetAsync(token, upload));

        using var rest = await _tus.PatchAsync(token, upload, 70_000, video[70_000..]);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        var mediaId = TusApi.Header(rest, "Parley-Media-Id")!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(video)), mediaId);
        Assert.Equal(video, await _media.DownloadAsync(token, mediaId));
    }

    [Fact]
    public async Task A_new_patch_takes_over_from_one_whose_connection_went_silent()
    {
        var token = await fixture.LoginAsync("stall");
        var video = MediaFiles.Mp4(300_000, 640, 480, 3000);
        var upload = await _tus.CreateOkAsync(token, video.Length, "video/mp4");

        // A PATCH that stops sending but keeps its connection open (a link that went quiet): it holds the upload.
        await using var stalled = await RawHttp.ConnectAsync(fixture.Server.BaseUri);
        await stalled.WriteAsync(PatchHead(upload, token, offset: 0, contentLength: video.Length));
        await stalled.WriteAsync(video[..100_000]);

        // The client resumes as tus clients do: HEAD, then PATCH from the offset; a 409 (the stalled PATCH's last
        // bytes landed in between) means asking again.
        string? mediaId = null;
        for (var attempt = 0; attempt < 5 && mediaId is null; attempt++)
        {
            var offset = await _tus.OffsetAsync(token, upload);
            using var patch = await _tus.PatchAsync(token, upload, offset, video[(int)offset..]);
            if (patch.StatusCode == HttpStatusCode.NoContent) mediaId = TusApi.Header(patch, "Parley-Media-Id");
            else Assert.Equal(HttpStatusCode.Conflict, patch.StatusCode);
        }
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(video)), mediaId);
        Assert.Equal(video, await _media.DownloadAsync(token, mediaId!));

        // The stalled PATCH was stopped by the new one (not by a timeout of its connection), and told so.
        var (status, body) = await stalled.ReadResponseAsync();
        Assert.Equal(409, status);
        Assert.Contains("took this upload over", body, StringComparison.Ordinal);
    }

    private static string PatchHead(Uri upload, string token, long offset, long contentLength) =>
        $"PATCH {upload.AbsolutePath} HTTP/1.1\r\nHost: {upload.Authority}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n"
        + $"Upload-Offset: {offset.ToString(CultureInfo.InvariantCulture)}\r\nContent-Type: application/offset+octet-stream\r\n"
        + $"Content-Length: {contentLength.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";

    public void Dispose()
    {
        _tus.Dispose();
        _media.Dispose();
    }
}

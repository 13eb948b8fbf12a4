using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Media;

/// <summary>POST /v1/media: what is accepted, what it answers, and every way an upload is refused leaving nothing behind.</summary>
public sealed class MediaUploadTests(MediaServer fixture) : IClassFixture<MediaServer>
{
    private readonly MediaApi _api = new(fixture.Server);

    [Fact]
    public async Task A_png_is_stored_with_its_hash_dimensions_and_a_thumbnail()
    {
        var token = await fixture.LoginAsync("up");
        var png = MediaFiles.Png(800, 600, seed: 1);
        var reply = await _api.UploadOkAsync(token, "image/png", png);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(png));
        Assert.Equal(sha256, reply.GetProperty("sha256").GetString());
        Assert.Equal(sha256, reply.GetProperty("mediaId").GetString());
        Assert.Equal("image/png", reply.GetProperty("mime").GetString());
        Assert.Equal(png.Length, reply.GetProperty("size").GetInt64());
        Assert.Equal((800, 600), (reply.GetProperty("width").GetInt32(), reply.GetProperty("height").GetInt32()));
        Assert.False(reply.TryGetProperty("durationMs", out _));
        Assert.True(reply.GetProperty("thumbnail").GetBoolean());

        var thumbnail = await _api.DownloadAsync(token, sha256, thumbnail: true);
        Assert.Equal((320, 240), MediaFiles.SizeOf(thumbnail));
        Assert.Equal(png, await _api.DownloadAsync(token, sha256));
    }

    [Theory]
    [InlineData("image/jpeg", 2000, 1000, 320, 160)]
    [InlineData("image/webp", 300, 500, 192, 320)]
    [InlineData("image/png", 100, 50, 100, 50)]
    public async Task Each_image_type_gets_its_dimensions_and_a_thumbnail_within_320_pixels(string mime, int width, int height, int thumbWidth, int thumbHeight)
    {
        var token = await fixture.LoginAsync("ty");
        var bytes = mime switch
        {
            "image/jpeg" => MediaFiles.Jpeg(width, height, seed: 2),
            "image/webp" => MediaFiles.Webp(width, height, seed: 3),
            _ => MediaFiles.Png(width, height, seed: 4),
        };
        var reply = await _api.UploadOkAsync(token, mime, bytes);
        Assert.Equal((width, height), (reply.GetProperty("width").GetInt32(), reply.GetProperty("height").GetInt32()));
        var thumbnail = await _api.DownloadAsync(token, reply.GetProperty("mediaId").GetString()!, thumbnail: true);
        Assert.Equal((thumbWidth, thumbHeight), MediaFiles.SizeOf(thumbnail));
    }

    [Fact]
    public async Task A_gif_is_accepted()
    {
        var token = await fixture.LoginAsync("gif");
        var reply = await _api.UploadOkAsync(token, "image/gif", MediaFiles.Gif);
        Assert.Equal((1, 1), (reply.GetProperty("width").GetInt32(), reply.GetProperty("height").GetInt32()));
    }

    [Fact]
    public async Task An_mp4_reports_the_size_and_duration_its_header_declares()
    {
        var token = await fixture.LoginAsync("mp4");
        var reply = await _api.UploadOkAsync(token, "video/mp4", MediaFiles.Mp4(200_000, 1280, 720, 4500));
        Assert.Equal((1280, 720, 4500L), (reply.GetProperty("width").GetInt32(), reply.GetProperty("height").GetInt32(), reply.GetProperty("durationMs").GetInt64()));
        // ffmpeg is optional; these zero-filled frames are no video it could decode, so there is no thumbnail either way.
        Assert.False(reply.GetProperty("thumbnail").GetBoolean());
        using var thumbnail = await _api.GetAsync(token, $"v1/media/{reply.GetProperty("mediaId").GetString()}/thumbnail");
        Assert.Equal(HttpStatusCode.NotFound, thumbnail.StatusCode);
    }

    [Fact]
    public async Task A_quicktime_name_for_an_mp4_container_and_a_webm_are_accepted()
    {
        var token = await fixture.LoginAsync("qt");
        var mov = await _api.UploadOkAsync(token, "video/quicktime", MediaFiles.Mp4(10_000, 640, 480, 1000));
        Assert.Equal("video/quicktime", mov.GetProperty("mime").GetString());
        var webm = await _api.UploadOkAsync(token, "video/webm", MediaFiles.Webm());
        Assert.Equal("video/webm", webm.GetProperty("mime").GetString());
        Assert.False(webm.TryGetProperty("width", out _));
    }

    [Fact]
    public async Task The_same_bytes_uploaded_twice_are_one_media_and_one_file()
    {
        var (token, other) = (await fixture.LoginAsync("d1"), await fixture.LoginAsync("d2"));
        var png = MediaFiles.Png(64, 64, seed: 5);
        var first = await _api.UploadOkAsync(token, "image/png", png);
        var second = await _api.UploadOkAsync(token, "image/png", png);
        var third = await _api.UploadOkAsync(other, "image/png", png);
        var id = first.GetProperty("mediaId").GetString()!;
        Assert.Equal(id, second.GetProperty("mediaId").GetString());
        Assert.Equal(id, third.GetProperty("mediaId").GetString());
        Assert.Single(MediaApi.StoredFiles(fixture.Server, id));
        // Both uploaders may read it.
        Assert.Equal(png, await _api.DownloadAsync(other, id));
    }

    [Fact]
    public async Task Uploading_without_a_token_is_401()
    {
        var (status, body) = await _api.UploadAsync(null, "image/png", MediaFiles.Png(8, 8));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", Code(body));
        var (badToken, _) = await _api.UploadAsync("not-a-token", "image/png", MediaFiles.Png(8, 8));
        Assert.Equal(HttpStatusCode.Unauthorized, badToken);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("image/svg+xml")]
    [InlineData("image/bmp")]
    [InlineData("application/octet-stream")]
    [InlineData(null)]
    public async Task A_type_that_is_not_allowed_is_415(string? mime)
    {
        var token = await fixture.LoginAsync("nt");
        var (status, body) = await _api.UploadAsync(token, mime, MediaFiles.Png(8, 8));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_type", Code(body));
    }

    [Theory]
    [InlineData("image/jpeg", "png")]
    [InlineData("image/png", "jpeg")]
    [InlineData("video/mp4", "png")]
    [InlineData("image/gif", "text")]
    [InlineData("video/webm", "mp4")]
    public async Task Bytes_that_are_not_the_declared_type_are_415_and_nothing_is_stored(string declared, string actual)
    {
        var token = await fixture.LoginAsync("ly");
        var bytes = actual switch
        {
            "png" => MediaFiles.Png(40, 30, seed: 6),
            "jpeg" => MediaFiles.Jpeg(40, 30, seed: 6),
            "mp4" => MediaFiles.Mp4(4096, 16, 16, 10),
            _ => "<script>alert(1)</script> and some more text to pass the sniffing length"u8.ToArray(),
        };
        var (status, body) = await _api.UploadAsync(token, declared, bytes);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_type", Code(body));
        Assert.Empty(MediaApi.StoredFiles(fixture.Server, Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }

    [Theory]
    [InlineData("image/png")]
    [InlineData("image/jpeg")]
    public async Task A_truncated_image_is_400_and_nothing_is_stored(string mime)
    {
        var token = await fixture.LoginAsync("tr");
        var whole = mime == "image/png" ? MediaFiles.Png(400, 300, seed: 7) : MediaFiles.Jpeg(400, 300, seed: 7);
        var truncated = whole[..(whole.Length / 2)];
        var (status, body) = await _api.UploadAsync(token, mime, truncated);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", Code(body));
        Assert.Contains("truncated", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(MediaApi.StoredFiles(fixture.Server, Convert.ToHexStringLower(SHA256.HashData(truncated))));
    }

    [Fact]
    public async Task An_empty_upload_is_400()
    {
        var token = await fixture.LoginAsync("em");
        var (status, body) = await _api.UploadAsync(token, "image/png", []);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", Code(body));
    }

    [Fact]
    public async Task A_png_declaring_enormous_dimensions_is_refused_before_it_is_decoded()
    {
        var token = await fixture.LoginAsync("bo");
        // 100000 x 100000 pixels would take 40 GB to decode; the file is about 1 KB.
        var bomb = MediaFiles.DecompressionBombPng(100_000, 100_000);
        Assert.True(bomb.Length < 4096);
        var (status, body) = await _api.UploadAsync(token, "image/png", bomb);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", Code(body));
        Assert.Contains("100000x100000", body.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        // The server is still well.
        await _api.UploadOkAsync(token, "image/png", MediaFiles.Png(10, 10, seed: 8));
    }

    [Fact]
    public async Task A_content_length_over_the_limit_is_413_before_the_body_is_read()
    {
        var token = await fixture.LoginAsync("cl");
        await using var raw = await RawHttp.ConnectAsync(fixture.Server.BaseUri);
        // A huge declared length and a short body: the answer comes from the headers alone.
        await raw.WriteAsync($"POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/png\r\nContent-Length: 10000000000\r\n\r\n");
        await raw.WriteAsync(MediaFiles.Png(8, 8)[..20]);
        var (status, body) = await raw.ReadResponseAsync();
        Assert.Equal(413, status);
        Assert.Equal("too_large", Code(JsonDocument.Parse(body).RootElement));
    }

    [Fact]
    public async Task A_client_that_goes_away_before_its_content_length_leaves_no_file()
    {
        var token = await fixture.LoginAsync("sh");
        var png = MediaFiles.Png(100, 100, seed: 9);
        await using (var raw = await RawHttp.ConnectAsync(fixture.Server.BaseUri))
        {
            await raw.WriteAsync($"POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/png\r\nContent-Length: {png.Length + 1000}\r\n\r\n");
            await raw.WriteAsync(png);
        }
        // Nobody is left to answer; the server notices the closed connection and removes the partial file. The
        // file system is the only signal it gives, so it is asked until then, within a bound.
        await Bounded.EventuallyAsync(() => MediaApi.StagingFiles(fixture.Server).Length == 0, "the partial upload's staging file is removed",
            TimeSpan.FromSeconds(10));
        Assert.Empty(MediaApi.StoredFiles(fixture.Server, Convert.ToHexStringLower(SHA256.HashData(png))));
        await _api.UploadOkAsync(token, "image/png", png);
    }

    [Fact]
    public async Task A_malformed_body_is_400_and_leaves_no_file()
    {
        var token = await fixture.LoginAsync("mb");
        await using var raw = await RawHttp.ConnectAsync(fixture.Server.BaseUri);
        await raw.WriteAsync($"POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n");
        await raw.WriteAsync("8\r\n");
        await raw.WriteAsync(MediaFiles.Png(8, 8)[..8]);
        await raw.WriteAsync("\r\nnot-a-chunk-size\r\n");
        var (status, body) = await raw.ReadResponseAsync();
        Assert.Equal(400, status);
        Assert.Equal("bad_request", Code(JsonDocument.Parse(body).RootElement));
        Assert.Empty(MediaApi.StagingFiles(fixture.Server));
    }

    [Fact]
    public async Task A_body_without_a_length_is_refused_with_413_as_soon_as_it_passes_the_limit_and_its_partial_file_removed()
    {
        var token = await fixture.LoginAsync("ch");
        await using var raw = await RawHttp.ConnectAsync(fixture.Server.BaseUri);
        await raw.WriteAsync($"POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n");
        // A PNG signature, then zeros: one byte past the limit, and the chunked body is never finished, so only the
        // limit can end this request.
        var chunk = new byte[64 * 1024];
        MediaFiles.Png(8, 8).AsSpan(0, 8).CopyTo(chunk);
        for (long sent = 0; sent <= MediaServer.MaxImageBytes; sent += chunk.Length)
        {
            var size = (int)Math.Min(chunk.Length, MediaServer.MaxImageBytes + 1 - sent);
            await raw.WriteAsync($"{size:x}\r\n");
            await raw.WriteAsync(chunk[..size]);
            if (size == chunk.Length) await raw.WriteAsync("\r\n");
        }
        var (status, body) = await raw.ReadResponseAsync();
        Assert.Equal(413, status);
        Assert.Equal("too_large", Code(JsonDocument.Parse(body).RootElement));
        Assert.Empty(MediaApi.StagingFiles(fixture.Server));
    }

    private static string? Code(JsonElement body) => body.GetProperty("error").GetProperty("code").GetString();
}

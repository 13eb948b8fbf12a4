using System.Security.Cryptography;
using Parley.Testing;

namespace Parley.Server.Tests.Media.Tus;

/// <summary>The real tus-js-client (npm, run in Node) against /v1/uploads, unchanged, as the protocol requires.</summary>
public sealed class TusJsClientTests(MediaServer fixture) : IClassFixture<MediaServer>, IDisposable
{
    private const int VideoBytes = 6 * 1024 * 1024;
    private const int LargeVideoBytes = 40 * 1024 * 1024;
    private readonly MediaApi _media = new(fixture.Server);
    private readonly string _directory = Directory.CreateTempSubdirectory("parley-tusjs-").FullName;

    [Fact]
    public async Task Tus_js_client_uploads_a_video_whole_and_learns_its_media_id()
    {
        var (file, bytes) = await VideoAsync(1);
        var token = await fixture.LoginAsync("js");
        var result = await TusJsClient.UploadAsync(fixture.Server.BaseUri, token, file, "video/mp4");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        var mediaId = result.GetProperty("mediaId").GetString();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), mediaId);
        Assert.Equal([0L], result.GetProperty("patches").EnumerateArray().Select(p => p.GetInt64()));
        Assert.Equal(bytes, await _media.DownloadAsync(token, mediaId!));
    }

    [Fact]
    public async Task Tus_js_client_resumes_an_upload_it_aborted_mid_patch_from_the_bytes_the_server_kept()
    {
        // Large enough that the socket buffers between Node and the server cannot hold what is left after the abort.
        var (file, bytes) = await VideoAsync(2, LargeVideoBytes);
        var token = await fixture.LoginAsync("jsab");
        var result = await TusJsClient.UploadAsync(fixture.Server.BaseUri, token, file, "video/mp4", new { abortAtBytes = 2 * 1024 * 1024 });

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        // The second Upload asked HEAD and went on from there: from bytes the aborted PATCH delivered, not from 0.
        var resumedFrom = result.GetProperty("resumedFrom").GetInt64();
        Assert.InRange(resumedFrom, 1, LargeVideoBytes - 1);
        var mediaId = result.GetProperty("mediaId").GetString();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), mediaId);
        Assert.Equal(bytes, await _media.DownloadAsync(token, mediaId!));
    }

    [Fact]
    public async Task Tus_js_client_survives_a_connection_dropped_mid_patch()
    {
        var (file, bytes) = await VideoAsync(3);
        var token = await fixture.LoginAsync("jscut");
        await using var proxy = CuttingProxy.Start(fixture.Server.BaseUri);
        var cut = proxy.ArmAsync(afterBytes: 2 * 1024 * 1024);
        var result = await TusJsClient.UploadAsync(proxy.BaseUri, token, file, "video/mp4");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.True(cut.IsCompleted);
        // The client retried by itself: a HEAD, then a PATCH from what the server had kept of the cut one.
        var patches = result.GetProperty("patches").EnumerateArray().Select(p => p.GetInt64()).ToList();
        Assert.True(patches.Count >= 2 && patches[0] == 0 && patches[^1] > 0, string.Join(", ", patches));
        var mediaId = result.GetProperty("mediaId").GetString();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), mediaId);
        Assert.Equal(bytes, await _media.DownloadAsync(token, mediaId!));
    }

    private async Task<(string File, byte[] Bytes)> VideoAsync(int seed, int size = VideoBytes)
    {
        var bytes = MediaFiles.Mp4(size, 640, 360, 5000 + seed);
        // Different bytes for each test (the media would otherwise be deduplicated across tests).
        bytes[^1] = (byte)seed;
        var file = Path.Combine(_directory, $"video{seed}.mp4");
        await File.WriteAllBytesAsync(file, bytes);
        return (file, bytes);
    }

    public void Dispose()
    {
        _media.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

using System.Security.Cryptography;
using Parley.Client.Http;
using Parley.Client.Http.Uploads;
using Parley.Client.Tests.Support;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

/// <summary>
/// The SDK's resumable uploads against the real server, through a proxy that drops connections as a mobile link does.
/// </summary>
public sealed class ResumableUploadTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly ResumableUploadOptions Quick = new()
    {
        Threshold = 100_000,
        ChunkSize = 1_000_000,
        RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)],
    };

    [Fact]
    public async Task A_large_file_sent_through_a_connection_that_drops_arrives_whole_resumed_from_the_servers_offset()
    {
        var user = await ChatUser.RegisterAsync(fixture.BaseUri, "tus");
        await using var proxy = CuttingProxy.Start(fixture.BaseUri);
        using var http = new ParleyHttpClient(proxy.BaseUri) { ResumableUploads = Quick };
        var file = RandomText.Letters(400_000);
        var cut = proxy.ArmAsync(afterBytes: 150_000);
        var progress = new RecordedProgress();

        // UploadMediaAsync, not UploadResumableAsync: over the threshold, the resumable path is the default.
        var upload = await http.UploadMediaAsync(user.Session.Token, new MemoryStream(file), "text/plain", progress).Within();

        Assert.True(cut.IsCompleted, "the proxy never cut the upload");
        Assert.Equal(1, proxy.Cuts);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), upload.MediaId);
        Assert.Equal(("text/plain", 400_000L, upload.MediaId), (upload.Mime, upload.Size, upload.Sha256));
        Assert.Equal(file, await DownloadAsync(http, user.Session.Token, upload.MediaId));
        // The progress went up to the cut, back to what the server kept (at most what passed the proxy), and on to the end.
        // It may fall more than once: a resumed PATCH can race the cut one still finishing on the server (409 or 423,
        // its bytes not kept), and each try starts again from the server's offset, never past the cut.
        var sent = progress.Sent();
        var falls = Enumerable.Range(1, sent.Count - 1).Where(i => sent[i] < sent[i - 1]).Select(i => sent[i]).ToList();
        Assert.NotEmpty(falls);
        Assert.All(falls, resumedAt => Assert.True(resumedAt <= 150_000, $"resumed from {resumedAt}, past the cut"));
        Assert.Equal(400_000, sent[^1]);
        Assert.All(progress.Lengths(), l => Assert.Equal(400_000, l));
    }

    [Fact]
    public async Task A_file_under_the_threshold_is_one_post_and_a_drop_fails_it()
    {
        var user = await ChatUser.RegisterAsync(fixture.BaseUri, "tus");
        await using var proxy = CuttingProxy.Start(fixture.BaseUri);
        using var http = new ParleyHttpClient(proxy.BaseUri) { ResumableUploads = Quick };
        var file = RandomText.Letters(90_000);
        _ = proxy.ArmAsync(afterBytes: 40_000);

        var failure = await Assert.ThrowsAsync<ParleyException>(() => http.UploadMediaAsync(user.Session.Token, new MemoryStream(file), "text/plain").Within());

        Assert.Equal(ClientErrorCodes.Unreachable, failure.Code);
        Assert.Equal(1, proxy.Cuts);
        var upload = await http.UploadMediaAsync(user.Session.Token, new MemoryStream(file), "text/plain").Within();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), upload.MediaId);
        // POST /v1/media's own answer: what the server learnt of the file is there.
        Assert.Equal(90_000, upload.Size);
    }

    [Fact]
    public async Task Cancelling_an_upload_stops_it_and_deletes_it_on_the_server()
    {
        var user = await ChatUser.RegisterAsync(fixture.BaseUri, "tus");
        using var http = new ParleyHttpClient(fixture.BaseUri) { ResumableUploads = new() { Threshold = 1, ChunkSize = 50_000 } };
        var uploads = Path.Combine(fixture.Server.DataDir, "media", ".uploads");
        // Tests of this class run one after another: what is there now is the other tests' (finished uploads stay until they expire).
        var before = Directory.EnumerateFiles(uploads).ToHashSet();
        using var cancel = new CancellationTokenSource();
        var held = false;
        // Past the first PATCH (so the server holds bytes), the user gives up.
        var progress = new RecordedProgress(p =>
        {
            if (p.BytesSent <= 120_000 || cancel.IsCancellationRequested) return;
            held = Directory.EnumerateFiles(uploads).Any(f => !before.Contains(f));
            cancel.Cancel();
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            http.UploadResumableAsync(user.Session.Token, new MemoryStream(RandomText.Letters(500_000)), "text/plain", progress, cancel.Token).Within());

        Assert.True(held, "the server held no upload while it went on");
        Assert.Equal(before, Directory.EnumerateFiles(uploads).ToHashSet());
        Assert.True(progress.Sent()[^1] < 500_000);
    }

    [Fact]
    public async Task Bytes_that_are_not_the_declared_type_fail_the_upload_with_unsupported_type()
    {
        var user = await ChatUser.RegisterAsync(fixture.BaseUri, "tus");
        using var http = new ParleyHttpClient(fixture.BaseUri) { ResumableUploads = Quick };

        var failure = await Assert.ThrowsAsync<ParleyException>(() =>
            http.UploadMediaAsync(user.Session.Token, new MemoryStream(RandomText.Letters(200_000)), "image/png").Within());

        Assert.Equal((Parley.Protocol.ErrorCodes.UnsupportedType, 415), (failure.Code, failure.HttpStatus));
    }

    private static async Task<byte[]> DownloadAsync(ParleyHttpClient http, string token, string mediaId)
    {
        await using var stream = await http.OpenMediaAsync(token, mediaId).Within();
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }


    /// <summary>Progress recorded as it is reported, on the reporting thread (Progress&lt;T&gt; would post, and reorder).</summary>
    private sealed class RecordedProgress(Action<UploadProgress>? also = null) : IProgress<UploadProgress>
    {
        private readonly List<UploadProgress> _reports = [];

        public void Report(UploadProgress value)
        {
            lock (_reports) _reports.Add(value);
            also?.Invoke(value);
        }

        public List<long> Sent()
        {
            lock (_reports) return [.. _reports.Select(r => r.BytesSent)];
        }

        public List<long> Lengths()
        {
            lock (_reports) return [.. _reports.Select(r => r.Length)];
        }
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Server.Media;
using Parley.Server.Tests.Media;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 6: a per-user upload rate, a quota on unused uploads, and a per-user share of the thumbnail slots.</summary>
public sealed class UploadLimitTests
{
    private const int Kib = 1024;

    /// <summary>A PDF of <paramref name="bytes"/> bytes, different every time (so no two uploads are one media).</summary>
    private static byte[] Pdf(int bytes)
    {
        var pdf = RandomNumberGenerator.GetBytes(bytes);
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(pdf, 0);
        return pdf;
    }

    [Fact]
    public async Task Uploads_that_no_message_uses_are_capped_per_user_until_one_is_sent()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", $"--Parley:RateLimits:UnusedUploadBytes={1024 * Kib}"]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        var token = await WireClient.LoginAsync(server, alice);
        var bobToken = await WireClient.LoginAsync(server, bob);
        using var api = new MediaApi(server);

        var first = await api.UploadOkAsync(token, "application/pdf", Pdf(600 * Kib));
        var (status, body) = await api.UploadAsync(token, "application/pdf", Pdf(600 * Kib));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too_large", body.GetProperty("error").GetProperty("code").GetString());
        // The quota is the user's: another user uploads all the same.
        await api.UploadOkAsync(bobToken, "application/pdf", Pdf(600 * Kib));

        // Once a message uses the first upload, it no longer counts.
        await using var a = await WireClient.ConnectAsync(server, token);
        var sent = await a.RequestAsync(new()
        {
            ["type"] = "send", ["cid"] = "c1", ["to"] = bob, ["kind"] = "file", ["body"] = "{}",
            ["media"] = new Dictionary<string, object?> { ["id"] = first.GetProperty("mediaId").GetString() },
        });
        Assert.Equal("ok", sent.GetProperty("type").GetString());
        await api.UploadOkAsync(token, "application/pdf", Pdf(600 * Kib));
    }

    [Fact]
    public async Task A_user_past_the_hourly_upload_bytes_is_refused_with_429_and_retry_after()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", $"--Parley:RateLimits:UploadBytesPerHour={1024 * Kib}"]);
        var token = await WireClient.LoginAsync(server, Unique("a"));
        var other = await WireClient.LoginAsync(server, Unique("b"));
        using var api = new MediaApi(server);

        await api.UploadOkAsync(token, "application/pdf", Pdf(600 * Kib));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/media") { Content = new ByteArrayContent(Pdf(600 * Kib)) };
        request.Content.Headers.ContentType = new("application/pdf");
        request.Headers.Authorization = new("Bearer", token);
        using var http = server.CreateHttpClient();
        using var refused = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // Counted per user.
        await api.UploadOkAsync(other, "application/pdf", Pdf(600 * Kib));
    }

    [Fact]
    public async Task A_resumable_upload_is_held_to_the_same_hourly_bytes_as_a_one_shot_one()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true", $"--Parley:RateLimits:UploadBytesPerHour={1024 * Kib}"]);
        var token = await WireClient.LoginAsync(server, Unique("a"));
        var other = await WireClient.LoginAsync(server, Unique("b"));
        using var api = new MediaApi(server);
        using var http = server.CreateHttpClient();
        async Task<HttpResponseMessage> CreateAsync(string bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/uploads") { Content = new ByteArrayContent([]) };
            request.Headers.Add("Tus-Resumable", "1.0.0");
            request.Headers.Add("Upload-Length", (600 * Kib).ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("Upload-Metadata", "filetype " + Convert.ToBase64String(Encoding.ASCII.GetBytes("application/pdf")));
            request.Headers.Authorization = new("Bearer", bearer);
            return await http.SendAsync(request);
        }

        await api.UploadOkAsync(token, "application/pdf", Pdf(600 * Kib));
        using var refused = await CreateAsync(token);
        using var othersOk = await CreateAsync(other);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Created, othersOk.StatusCode);
    }

    [Fact]
    public async Task A_user_holds_at_most_their_share_of_the_thumbnail_slots_and_others_still_get_one()
    {
        using var slots = new ThumbnailSlots(Options.Create(new MediaOptions { MaxConcurrentThumbnails = 2, MaxConcurrentThumbnailsPerUser = 1 }));
        var firstOfA = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var aStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a1 = slots.RunAsync("a", () => { aStarted.TrySetResult(); return firstOfA.Task; }, CancellationToken.None);
        await aStarted.Task.WaitAsync(WireClient.Timeout);

        // A's second thumbnail waits for A's own turn, although a global slot is free...
        var secondOfAStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var a2 = slots.RunAsync("a", () => { secondOfAStarted.TrySetResult(); return Task.FromResult(true); }, CancellationToken.None);
        // ...which B takes at once.
        Assert.True(await slots.RunAsync("b", () => Task.FromResult(true), CancellationToken.None).WaitAsync(WireClient.Timeout));
        Assert.False(secondOfAStarted.Task.IsCompleted);

        firstOfA.SetResult(true);
        Assert.True(await a1.WaitAsync(WireClient.Timeout));
        Assert.True(await a2.WaitAsync(WireClient.Timeout));
    }
}

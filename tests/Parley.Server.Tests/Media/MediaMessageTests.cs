using System.Net;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Media;

/// <summary>Media in messages, over the real socket: sending, receiving, downloading, forwarding, and who may not.</summary>
public sealed class MediaMessageTests(MediaServer fixture) : IClassFixture<MediaServer>
{
    private static readonly TimeSpan ExpiryWait = TimeSpan.FromSeconds(20);
    private readonly MediaApi _api = new(fixture.Server);

    private static Dictionary<string, object?> Send(string to, string mediaId, string kind = "image", long? ttl = null)
    {
        var frame = new Dictionary<string, object?>
        {
            ["type"] = "send", ["cid"] = Guid.NewGuid().ToString("N"), ["to"] = to, ["kind"] = kind, ["body"] = "look", ["media"] = new { id = mediaId },
        };
        if (ttl is not null) frame["ttl"] = ttl;
        return frame;
    }

    [Fact]
    public async Task A_recipient_sees_the_media_and_downloads_it_and_its_thumbnail_while_an_outsider_gets_404()
    {
        var (alice, aliceToken) = await fixture.UserAsync("a");
        var (bob, bobToken) = await fixture.UserAsync("b");
        var (_, carolToken) = await fixture.UserAsync("c");
        var png = MediaFiles.Png(1000, 500, seed: 11);
        var id = (await _api.UploadOkAsync(aliceToken, "image/png", png)).GetProperty("mediaId").GetString()!;

        await using var aliceSocket = await WireClient.ConnectAsync(fixture.Server, aliceToken);
        await using var bobSocket = await WireClient.ConnectAsync(fixture.Server, bobToken);
        var ok = await aliceSocket.RequestAsync(Send(bob, id));
        Assert.Equal("ok", ok.GetProperty("type").GetString());

        var message = await bobSocket.NextAsync("message");
        Assert.Equal(("image", alice), (message.GetProperty("kind").GetString(), message.GetProperty("from").GetString()));
        AssertMedia(message.GetProperty("media"), id, png.Length);
        // The sender's other devices get the same event.
        AssertMedia((await aliceSocket.NextAsync("message")).GetProperty("media"), id, png.Length);

        Assert.Equal(png, await _api.DownloadAsync(bobToken, id));
        Assert.Equal((320, 160), MediaFiles.SizeOf(await _api.DownloadAsync(bobToken, id, thumbnail: true)));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(carolToken, $"v1/media/{id}"));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(carolToken, $"v1/media/{id}/thumbnail"));

        var history = await bobSocket.RequestAsync(new() { ["type"] = "history", ["conv"] = message.GetProperty("conv").GetString() });
        AssertMedia(Assert.Single(history.GetProperty("messages").EnumerateArray()).GetProperty("media"), id, png.Length);
    }

    [Fact]
    public async Task A_recipient_may_forward_the_media_to_another_conversation_and_an_outsider_may_not_use_it()
    {
        var (_, aliceToken) = await fixture.UserAsync("a");
        var (bob, bobToken) = await fixture.UserAsync("b");
        var (carol, carolToken) = await fixture.UserAsync("c");
        var (_, daveToken) = await fixture.UserAsync("d");
        var jpeg = MediaFiles.Jpeg(300, 200, seed: 12);
        var id = (await _api.UploadOkAsync(aliceToken, "image/jpeg", jpeg)).GetProperty("mediaId").GetString()!;

        await using var aliceSocket = await WireClient.ConnectAsync(fixture.Server, aliceToken);
        await using var bobSocket = await WireClient.ConnectAsync(fixture.Server, bobToken);
        await using var carolSocket = await WireClient.ConnectAsync(fixture.Server, carolToken);
        await using var daveSocket = await WireClient.ConnectAsync(fixture.Server, daveToken);

        // Before Alice shares it, Bob cannot use it.
        Assert.Equal("not_found", (await bobSocket.RequestAsync(Send(carol, id))).GetProperty("code").GetString());
        Assert.Equal("ok", (await aliceSocket.RequestAsync(Send(bob, id))).GetProperty("type").GetString());
        await bobSocket.NextAsync("message");

        Assert.Equal("ok", (await bobSocket.RequestAsync(Send(carol, id))).GetProperty("type").GetString());
        AssertMedia((await carolSocket.NextAsync("message")).GetProperty("media"), id, jpeg.Length);
        Assert.Equal(jpeg, await _api.DownloadAsync(carolToken, id));

        var refused = await daveSocket.RequestAsync(Send(carol, id));
        Assert.Equal(("error", "not_found"), (refused.GetProperty("type").GetString(), refused.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(daveToken, $"v1/media/{id}"));
    }

    [Fact]
    public async Task Media_that_does_not_exist_is_not_found_and_media_on_a_text_message_is_a_bad_request()
    {
        var (_, aliceToken) = await fixture.UserAsync("a");
        var (bob, _) = await fixture.UserAsync("b");
        var id = (await _api.UploadOkAsync(aliceToken, "image/png", MediaFiles.Png(20, 20, seed: 13))).GetProperty("mediaId").GetString()!;
        await using var socket = await WireClient.ConnectAsync(fixture.Server, aliceToken);

        Assert.Equal("not_found", (await socket.RequestAsync(Send(bob, new string('a', 64)))).GetProperty("code").GetString());
        Assert.Equal("not_found", (await socket.RequestAsync(Send(bob, "nope"))).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await socket.RequestAsync(Send(bob, id, kind: "text"))).GetProperty("code").GetString());
        // None of those took a position in the conversation.
        var ok = await socket.RequestAsync(Send(bob, id, kind: "file"));
        Assert.Equal(1, ok.GetProperty("n").GetInt64());
    }

    [Fact]
    public async Task Once_the_only_message_with_the_media_expires_it_answers_404_and_its_file_is_gone()
    {
        var (_, aliceToken) = await fixture.UserAsync("a");
        var (bob, bobToken) = await fixture.UserAsync("b");
        var id = (await _api.UploadOkAsync(aliceToken, "image/png", MediaFiles.Png(30, 30, seed: 14))).GetProperty("mediaId").GetString()!;
        await using var socket = await WireClient.ConnectAsync(fixture.Server, aliceToken);
        var ok = await socket.RequestAsync(Send(bob, id, ttl: 3));
        var expiresAt = DateTimeOffset.FromUnixTimeMilliseconds(ok.GetProperty("expiresAt").GetInt64());

        if (DateTimeOffset.UtcNow < expiresAt - TimeSpan.FromSeconds(1))
        {
            Assert.Equal(HttpStatusCode.OK, await _api.StatusOfAsync(bobToken, $"v1/media/{id}"));
        }
        // Expiry is a moment on the server's clock: ask until it has passed, within a bound.
        var status = HttpStatusCode.OK;
        await Bounded.EventuallyAsync(async () => (status = await _api.StatusOfAsync(bobToken, $"v1/media/{id}")) != HttpStatusCode.OK,
            "the media is no longer served once its only message expired", ExpiryWait);
        Assert.Equal(HttpStatusCode.NotFound, status);

        // Only an expired message referenced it: the sweeper deletes the file, for the uploader too.
        await Bounded.EventuallyAsync(() => MediaApi.StoredFiles(fixture.Server, id).Length == 0, "the sweeper deletes the file", ExpiryWait);
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync(aliceToken, $"v1/media/{id}"));
    }

    private static void AssertMedia(JsonElement media, string id, long size)
    {
        Assert.Equal(id, media.GetProperty("id").GetString());
        Assert.Equal(size, media.GetProperty("size").GetInt64());
        Assert.True(media.GetProperty("thumbnail").GetBoolean());
        Assert.True(media.GetProperty("width").GetInt32() > 0);
        Assert.True(media.GetProperty("height").GetInt32() > 0);
        Assert.StartsWith("image/", media.GetProperty("mime").GetString(), StringComparison.Ordinal);
        Assert.False(media.TryGetProperty("durationMs", out _));
    }
}

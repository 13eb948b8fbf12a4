using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Load;

/// <summary>What each governor level sheds, with the level held by Parley:Governor:ForceLevel; messages are never shed.</summary>
public sealed class ForcedLevelTests
{
    private static Task<ServerProcess> StartAtAsync(int level, params string[] args) =>
        ServerProcess.StartAsync(args: [$"--Parley:Governor:ForceLevel={level}", .. args]);

    private static string TypeOf(JsonElement frame) => frame.GetProperty("type").GetString()!;

    [Fact]
    public async Task At_level_1_typing_and_presence_pushes_are_shed_while_messages_and_history_are_served()
    {
        await using var server = await StartAtAsync(1);
        var (alice, bob, carol) = (Unique("a"), Unique("b"), Unique("c"));
        var carolToken = await WireClient.LoginAsync(server, carol);
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        await using var b = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, bob));
        var conv = Direct(alice, bob);
        // Typing is relayed only in a conversation that holds a message (issue 17).
        await SendAsync(a, bob, "before typing");
        await b.NextAsync(f => TypeOf(f) == "message");

        // Bob follows Carol while she is offline; her coming online is a presence push at level 0.
        Assert.False((await SnapshotAsync(b, carol)).Online);
        await using var c = await WireClient.ConnectAsync(server, carolToken);
        // Alice types, then sends: at level 0 Bob is shown the typing (and Carol's presence) before the message.
        await TypingAsync(a, conv, "composing");
        await SendAsync(a, bob, "after typing");

        var before = new List<string>();
        var message = await b.NextAsync(f =>
        {
            if (TypeOf(f) == "message") return true;
            before.Add(TypeOf(f));
            return false;
        });
        Assert.Equal("after typing", message.GetProperty("body").GetString());
        Assert.DoesNotContain("typing", before);
        // The relay is shed where it starts, before the typing request's ok: counted by now.
        var m = await PrometheusText.ScrapeAsync(server);
        Assert.True(m.Value("parley_shed_total", ("kind", "typing")) >= 1, m.Text);
        m = await PrometheusText.WaitAsync(server, t => t.Value("parley_shed_total", ("kind", "presence")) >= 1, WireClient.Timeout);
        Assert.Equal(1, m.Value("parley_governor_level"));
        Assert.DoesNotContain("presence", before);

        // Level 1 refuses no request.
        var history = await a.RequestAsync(new() { ["type"] = "history", ["conv"] = conv });
        Assert.True(TypeOf(history) == "ok", history.ToString());
    }

    [Fact]
    public async Task At_level_2_delivered_receipts_are_coalesced_and_still_arrive()
    {
        await using var server = await StartAtAsync(2, "--Parley:Governor:SlowReceiptInterval=00:00:01");
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        await using var b = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, bob));

        await SendAsync(a, bob, "one");
        await SendAsync(a, bob, "two");
        await b.NextAsync("message");
        var seq = (await b.NextAsync("message")).GetProperty("seq").GetInt64();
        await b.SendAsync(new { type = "ack", seq });

        var receipt = await a.NextAsync("receipt");
        Assert.Equal(("delivered", 2L), (receipt.GetProperty("status").GetString(), receipt.GetProperty("upTo").GetInt64()));
        var m = await PrometheusText.ScrapeAsync(server);
        Assert.True(m.Value("parley_shed_total", ("kind", "receipt_delay")) >= 1, m.Text);
    }

    [Fact]
    public async Task At_level_3_non_essential_requests_and_uploads_are_refused_with_a_retry_time_and_sends_go_through()
    {
        await using var server = await StartAtAsync(3, "--Parley:Governor:RetryAfter=00:00:03");
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(server, alice);
        await using var a = await WireClient.ConnectAsync(server, aliceToken);
        await using var b = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, bob));
        var conv = Direct(alice, bob);

        await SendAsync(a, bob, "still delivered");
        Assert.Equal("still delivered", (await b.NextAsync("message")).GetProperty("body").GetString());

        Dictionary<string, object?>[] refused =
        [
            new() { ["type"] = "history", ["conv"] = conv },
            new() { ["type"] = "convs" },
            new() { ["type"] = "receipts", ["conv"] = conv, ["n"] = 1 },
            new() { ["type"] = "presence.subscribe", ["users"] = new[] { bob } },
        ];
        foreach (var request in refused)
        {
            var reply = await a.RequestAsync(request);
            Assert.True(TypeOf(reply) == "error" && reply.GetProperty("code").GetString() == "overloaded", reply.ToString());
            Assert.Equal(3000, reply.GetProperty("retryAfterMs").GetInt64());
        }
        var ping = await a.RequestAsync(new() { ["type"] = "ping" });
        Assert.Equal("ok", TypeOf(ping));

        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = WireClient.Timeout };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "v1/media") { Content = new ByteArrayContent(Media.MediaFiles.Gif) };
        upload.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("image/gif");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", aliceToken);
        using var response = await http.SendAsync(upload);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(("overloaded", 3000L), (error.GetProperty("code").GetString(), error.GetProperty("retryAfterMs").GetInt64()));

        var m = await PrometheusText.ScrapeAsync(server);
        foreach (var kind in new[] { "history", "convs", "receipts", "presence.subscribe", "media_upload" })
        {
            Assert.True(m.Value("parley_shed_total", ("kind", kind)) == 1, $"{kind}:\n{m.Text}");
        }
        Assert.Equal(1, m.Value("parley_messages_accepted_total"));
    }
}

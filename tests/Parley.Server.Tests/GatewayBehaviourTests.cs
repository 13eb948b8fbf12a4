using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>How the gateway treats sockets: slow readers, floods of bad frames, shutdown, origins.</summary>
public sealed class GatewayBehaviourTests
{
    [Fact]
    public async Task An_ack_sent_just_before_the_close_is_stored_and_the_sender_gets_its_receipt()
    {
        await using var server = await ServerProcess.StartAsync();
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        var bobToken = await WireClient.LoginAsync(server, bob);

        // The close follows the ack in the same instant, as when a client acks its last event and quits; the ack
        // waits for the connection's delivery loop, which the close stops. Several rounds: it was a race.
        for (var n = 1; n <= 8; n++)
        {
            await using var b = await WireClient.ConnectAsync(server, bobToken, after: 0);
            await a.RequestAsync(new() { ["type"] = "send", ["cid"] = $"c{n}", ["to"] = bob, ["body"] = "hi" });
            var message = await b.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("n").GetInt64() == n);
            await b.SendAsync(new { type = "ack", seq = message.GetProperty("seq").GetInt64() });
            await b.CloseOutputAsync();

            var receipt = await a.NextAsync("receipt");
            Assert.Equal(("delivered", (long)n), (receipt.GetProperty("status").GetString(), receipt.GetProperty("upTo").GetInt64()));
        }
    }

    [Fact]
    public async Task A_reader_that_never_reads_is_disconnected_and_resumes_without_loss()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:SendQueueCapacity=32", "--Parley:Gateway:MaxInFlightRequests=16", "--Parley:Gateway:SendStallTimeout=00:00:01"]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var sender = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        var bobToken = await WireClient.LoginAsync(server, bob);

        // Bob says hello and then reads nothing: the kernel's buffers fill (a few MB), then his send queue.
        await using var stalled = await WireClient.OpenAsync(server, read: false);
        await stalled.SendAsync(new { type = "hello", token = bobToken });

        const int count = 1_000;
        var body = new string('x', 15_000);
        for (var i = 0; i < count; i++)
        {
            await sender.SendAsync(new { type = "send", rid = $"s{i}", cid = $"c{i}", to = bob, body });
        }
        for (var i = 0; i < count; i++)
        {
            var ok = await sender.NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == $"s{i}");
            Assert.Equal("ok", ok.GetProperty("type").GetString());
        }

        // The server gives up on Bob's socket (it says so in its log): Bob sees a 4409 close, or an abort if
        // he never read far enough to see it.
        await server.WaitForOutputAsync("Closing the connection with 4409", WireClient.Timeout);
        stalled.StartReading();
        var closeCode = await stalled.ClosedAsync();
        Assert.True(closeCode is null or 4409, $"closed with {closeCode}");
        Assert.Equal("ok", (await sender.RequestAsync(new() { ["type"] = "ping" })).GetProperty("type").GetString());

        // Nothing was lost: Bob resumes from his stored cursor and gets every message once, in order.
        await using var resumed = await WireClient.ConnectAsync(server, bobToken);
        for (var n = 1; n <= count; n++)
        {
            var message = await resumed.NextAsync("message");
            Assert.Equal(n, message.GetProperty("n").GetInt64());
            if (n % 100 == 0) await resumed.SendAsync(new { type = "ack", seq = message.GetProperty("seq").GetInt64() });
        }
    }

    [Fact]
    public async Task Repeated_malformed_frames_close_the_socket_with_1008()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxMalformedFrames=3"]);
        await using var client = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, Unique("m")));
        for (var i = 0; i < 3; i++) await client.SendRawAsync("{nope");
        Assert.Equal(1008, await client.ClosedAsync());
    }

    [Fact]
    public async Task Shutting_down_closes_sockets_with_1001()
    {
        await using var server = await ServerProcess.StartAsync();
        await using var client = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, Unique("s")));
        await server.StopAsync();
        Assert.Equal(1001, await client.ClosedAsync());
    }

    [Fact]
    public async Task A_page_from_another_origin_cannot_open_a_socket()
    {
        await using var server = await ServerProcess.StartAsync();
        await Assert.ThrowsAnyAsync<System.Net.WebSockets.WebSocketException>(() => WireClient.OpenAsync(server, origin: "http://evil.example"));
        await using var sameOrigin = await WireClient.OpenAsync(server, origin: $"http://{server.BaseUri.Authority}");
        await sameOrigin.SendAsync(new { type = "hello", token = "nope" });
        Assert.Equal(4401, await sameOrigin.ClosedAsync());
    }
}

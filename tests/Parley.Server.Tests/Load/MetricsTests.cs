using System.Net;
using Parley.Testing;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Load;

/// <summary>/metrics after real traffic: the counts are those of what was sent, and /healthz answers.</summary>
public sealed class MetricsTests
{
    private const int Messages = 5;

    [Fact]
    public async Task Metrics_count_the_frames_and_messages_of_real_traffic()
    {
        // The level held at 0: on a busy machine the CPU signal alone would raise it, and the gauge is read below.
        await using var server = await ServerProcess.StartAsync(args: [PresenceServer.NoShedding]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        await using var b = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, bob));

        for (var i = 0; i < Messages; i++) await SendAsync(a, bob, $"m{i}");
        long seq = 0;
        for (var i = 0; i < Messages; i++) seq = (await b.NextAsync("message")).GetProperty("seq").GetInt64();
        await b.SendAsync(new { type = "ack", seq });

        // Every message reaches both sockets: Bob's, and Alice's own (the sender's inbox holds it too).
        var m = await PrometheusText.WaitAsync(server, t =>
            t.Value("parley_messages_delivered_total") >= 2 * Messages
            && t.Value("parley_frames_sent_total", ("type", "message")) >= 2 * Messages
            && t.Value("parley_frames_received_total", ("type", "ack")) >= 1, WireClient.Timeout);

        Assert.Equal(2, m.Value("parley_frames_received_total", ("type", "hello")));
        Assert.Equal(Messages, m.Value("parley_frames_received_total", ("type", "send")));
        Assert.Equal(1, m.Value("parley_frames_received_total", ("type", "ack")));
        Assert.Equal(2, m.Value("parley_frames_sent_total", ("type", "welcome")));
        Assert.Equal(Messages, m.Value("parley_frames_sent_total", ("type", "ok")));
        Assert.Equal(2 * Messages, m.Value("parley_frames_sent_total", ("type", "message")));
        Assert.Equal(Messages, m.Value("parley_messages_accepted_total"));
        Assert.Equal(2 * Messages, m.Value("parley_messages_delivered_total"));
        Assert.Equal(2, m.Value("parley_connections"));
        // Live pushes carry a latency; a push replaced by a catch-up from the store does not (on a loaded machine a
        // connection may still be attaching to its grain and get all of them from the store), so only the upper bound holds
        // (each delivered frame is timed at most once).
        Assert.InRange(m.Value("parley_delivery_latency_seconds_count"), 0, 2 * Messages);
        Assert.True(m.Value("parley_store_commit_batch_size_count") >= 1, m.Text);
        Assert.True(m.Value("parley_store_commit_batch_size_sum") >= Messages, m.Text);
        Assert.True(m.Value("parley_store_commit_duration_seconds_count") >= 1, m.Text);
        Assert.Contains("parley_governor_level{", m.Text, StringComparison.Ordinal);
        Assert.Equal(0, m.Value("parley_governor_level"));

        using var http = new HttpClient { BaseAddress = server.BaseUri };
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_closed_connection_is_counted_by_its_code_and_logged_with_its_user()
    {
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:Gateway:MaxMalformedFrames=3"]);
        var user = Unique("z");
        await using var client = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, user));
        for (var i = 0; i < 3; i++) await client.SendRawAsync("not json");

        Assert.Equal(1008, await client.ClosedAsync());
        var m = await PrometheusText.WaitAsync(server, t => t.Value("parley_connections") == 0, WireClient.Timeout);
        Assert.Equal(1, m.Value("parley_connections_closed_total", ("code", "1008")));
        Assert.Equal(3, m.Value("parley_frames_received_total", ("type", "malformed")));
        // The connection's log lines carry its scope: the close is logged with the user it belonged to.
        await server.WaitForOutputAsync("Closing the connection with 1008", WireClient.Timeout);
        Assert.Contains($"of {user} on", server.Output, StringComparison.Ordinal);
    }
}

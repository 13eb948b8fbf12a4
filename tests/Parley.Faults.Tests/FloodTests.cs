using System.Diagnostics;
using System.Text.Json;
using Parley.Faults.Tests.Support;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Faults.Tests;

/// <summary>One user flooding sends is rate-limited; another user's messages still go through and are delivered.</summary>
public sealed class FloodTests(ITestOutputHelper output)
{
    private const int FloodFrames = 3000;
    private const int OtherSends = 40;

    [Fact]
    public async Task A_flooding_user_is_rate_limited_while_another_users_messages_go_through()
    {
        // The default limits: 50 sends per user per second with a burst of 50.
        await using var server = await ServerProcess.StartAsync(args: ["--Parley:RateLimits:Enabled=true"]).Within(TimeSpan.FromSeconds(90));
        string Name(string prefix) => (prefix + Guid.NewGuid().ToString("N"))[..20];
        var (flooder, victim, alice, bob) = (Name("fl"), Name("vi"), Name("al"), Name("bo"));
        // Accounts are made before the flood, at a pace the per-address limit allows (it is on here).
        var tokens = new Dictionary<string, string>();
        foreach (var user in new[] { flooder, victim, alice, bob }) tokens[user] = await WireClient.LoginAsync(server, user);
        await using var flood = await WireClient.ConnectAsync(server, tokens[flooder]);
        await using var a = await WireClient.ConnectAsync(server, tokens[alice]);
        await using var b = await WireClient.ConnectAsync(server, tokens[bob]);

        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < FloodFrames; i++)
            {
                await flood.SendAsync(new { type = "send", rid = $"f{i}", cid = $"f{i}", to = victim, body = "spam" });
            }
            var (ok, limited) = (0, 0);
            for (var i = 0; i < FloodFrames; i++)
            {
                var rid = $"f{i}";
                var reply = await flood.NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == rid);
                if (reply.GetProperty("type").GetString() == "ok") ok++;
                else if (reply.GetProperty("code").GetString() == "rate_limited") limited++;
            }
            return (ok, limited);
        });

        // Meanwhile Alice sends at a human pace (one after another) and Bob receives each.
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < OtherSends; i++)
        {
            var started = clock.Elapsed;
            var reply = await a.RequestAsync(new() { ["type"] = "send", ["cid"] = $"a{i}", ["to"] = bob, ["body"] = $"hello {i}" });
            Assert.Equal("ok", reply.GetProperty("type").GetString());
            var message = await b.NextAsync("message");
            Assert.Equal($"a{i}", message.GetProperty("cid").GetString());
            latencies.Add((clock.Elapsed - started).TotalMilliseconds);
            await b.SendAsync(new { type = "ack", seq = message.GetProperty("seq").GetInt64() });
        }
        var (floodOk, floodLimited) = await flooding.Within(TimeSpan.FromSeconds(120));

        latencies.Sort();
        output.WriteLine($"flood: flooder sent={FloodFrames} ok={floodOk} rate_limited={floodLimited}; other user sent={OtherSends} " +
            $"acknowledged and delivered={latencies.Count} send-to-delivery ms p50={latencies[latencies.Count / 2]:F1} max={latencies[^1]:F1}");
        Assert.Equal(FloodFrames, floodOk + floodLimited);
        Assert.True(floodLimited > FloodFrames / 2, "most of the flood was refused");
        Assert.Equal(OtherSends, latencies.Count);
        // A generous bound only: the machine is shared; the numbers above are for reading.
        Assert.True(latencies[latencies.Count / 2] < 5000, "the other user's median send-to-delivery stayed under 5 s");
    }
}

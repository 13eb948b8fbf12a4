using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Cluster.Tests;

/// <summary>A node dies (SIGKILL) in the middle of a stream: nothing acknowledged is lost, nothing is doubled.</summary>
public sealed class NodeFailureTests
{
    [Fact]
    public async Task A_node_killed_mid_stream_loses_no_acknowledged_message_and_delivers_none_twice()
    {
        await using var cluster = await ClusterNodes.StartAsync(3);
        var (doomed, survivor, spare) = (cluster.Nodes[1], cluster.Nodes[2], cluster.Nodes[0]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(doomed, alice);
        var bobOnDoomed = await WireClient.LoginAsync(doomed, bob);
        var bobOnSurvivor = await WireClient.LoginAsync(survivor, bob, register: false);

        // Bob's devices are on the doomed node and a survivor. His user grain may live on any node (Orleans places it
        // by load), and its directory entry too: when the doomed node dies, the grain dies with it if it lived there,
        // and is deactivated on a live node if its directory entry was there. Either way Bob's surviving device must
        // attach to the next activation and get every message.
        await using var bobA = await WireClient.ConnectAsync(doomed, bobOnDoomed);
        await using var bobB = await WireClient.ConnectAsync(survivor, bobOnSurvivor);

        const int total = 300;
        var acknowledged = new HashSet<string>();
        string conv;
        await using (var a = await WireClient.ConnectAsync(doomed, aliceToken))
        {
            for (var i = 0; i < total; i++) await a.SendAsync(new { type = "send", rid = $"c{i}", cid = $"c{i}", to = bob, body = $"m{i}" });
            for (var i = 0; i < total / 3; i++)
            {
                var ok = await a.NextAsync("ok");
                acknowledged.Add(ok.GetProperty("rid").GetString()!);
            }
            conv = (await a.NextAsync("ok")).GetProperty("conv").GetString()!;
            await doomed.KillAsync();
        }

        // Alice resumes on another node and sends again every message that got no ok, with the same cid.
        await using var again = await WireClient.ConnectAsync(spare, aliceToken);
        var duplicates = 0;
        for (var i = 0; i < total; i++)
        {
            var ok = await again.RequestAsync(new() { ["type"] = "send", ["cid"] = $"c{i}", ["to"] = bob, ["body"] = $"m{i}" });
            Assert.Equal("ok", ok.GetProperty("type").GetString());
            if (ok.TryGetProperty("duplicate", out var d) && d.GetBoolean()) duplicates++;
        }
        Assert.True(duplicates >= acknowledged.Count, $"{duplicates} duplicates for {acknowledged.Count} acknowledged before the kill");

        // Bob's surviving device processes every message exactly once, in order, whatever happened to his grain.
        // Like any client it drops a seq it has already processed (the server re-pushes what is not acked in time).
        var lastSeq = 0L;
        for (var n = 1; n <= total; n++)
        {
            var message = await bobB.NextAsync(f => f.GetProperty("type").GetString() == "message" && f.GetProperty("seq").GetInt64() > lastSeq);
            lastSeq = message.GetProperty("seq").GetInt64();
            Assert.Equal(n, message.GetProperty("n").GetInt64());
            await bobB.SendAsync(new { type = "ack", seq = lastSeq });
        }

        var history = new List<JsonElement>();
        long? before = null;
        while (true)
        {
            var request = new Dictionary<string, object?> { ["type"] = "history", ["conv"] = conv, ["limit"] = 200 };
            if (before is not null) request["before"] = before;
            var page = (await bobB.RequestAsync(request)).GetProperty("messages").EnumerateArray().ToList();
            history.InsertRange(0, page);
            if (page.Count < 200) break;
            before = page[0].GetProperty("n").GetInt64();
        }
        var cids = history.Select(m => m.GetProperty("cid").GetString()!).ToList();
        Assert.Equal(total, cids.Count);
        Assert.Equal(total, cids.Distinct().Count());
        Assert.Empty(acknowledged.Except(cids));
    }
}

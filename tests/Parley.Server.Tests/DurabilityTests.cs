using System.Text.Json;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Nothing acknowledged is lost: across a clean restart and across SIGKILL mid-stream.</summary>
public sealed class DurabilityTests
{
    private static async Task<List<JsonElement>> HistoryAsync(WireClient client, string conv)
    {
        var all = new List<JsonElement>();
        long? before = null;
        while (true)
        {
            var request = new Dictionary<string, object?> { ["type"] = "history", ["conv"] = conv, ["limit"] = 200 };
            if (before is not null) request["before"] = before;
            var page = (await client.RequestAsync(request)).GetProperty("messages").EnumerateArray().ToList();
            all.InsertRange(0, page);
            if (page.Count < 200) return all;
            before = page[0].GetProperty("n").GetInt64();
        }
    }

    [Fact]
    public async Task After_a_restart_messages_are_kept_and_a_cid_is_still_a_duplicate()
    {
        await using var first = await ServerProcess.StartAsync();
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(first, alice);
        await WireClient.LoginAsync(first, bob);
        string id;
        await using (var client = await WireClient.ConnectAsync(first, aliceToken))
        {
            var ok = await client.RequestAsync(new() { ["type"] = "send", ["cid"] = "once", ["to"] = bob, ["body"] = "kept" });
            id = ok.GetProperty("id").GetString()!;
        }
        await first.StopAsync();

        await using var second = await first.RestartAsync();
        await using var again = await WireClient.ConnectAsync(second, aliceToken);
        var duplicate = await again.RequestAsync(new() { ["type"] = "send", ["cid"] = "once", ["to"] = bob, ["body"] = "not stored" });
        Assert.True(duplicate.GetProperty("duplicate").GetBoolean());
        Assert.Equal(id, duplicate.GetProperty("id").GetString());
        var history = await HistoryAsync(again, duplicate.GetProperty("conv").GetString()!);
        Assert.Equal("kept", Assert.Single(history).GetProperty("body").GetString());
    }

    [Fact]
    public async Task Every_acknowledged_message_survives_SIGKILL_mid_stream_exactly_once()
    {
        await using var server = await ServerProcess.StartAsync();
        var (alice, bob) = (Unique("a"), Unique("b"));
        var aliceToken = await WireClient.LoginAsync(server, alice);
        await WireClient.LoginAsync(server, bob);

        // Stream sends with many in flight; kill the server once a good number are acknowledged.
        const int total = 20_000;
        const int killAfter = 300;
        var acknowledged = new HashSet<string>();
        var conv = "";
        await using (var client = await WireClient.ConnectAsync(server, aliceToken))
        {
            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < total; i++)
                {
                    await client.SendAsync(new { type = "send", rid = $"s{i}", cid = $"c{i}", to = bob, body = $"m{i}" });
                }
            });
            for (var i = 0; i < killAfter; i++)
            {
                var ok = await client.NextAsync(f => f.GetProperty("type").GetString() == "ok");
                acknowledged.Add("c" + ok.GetProperty("rid").GetString()![1..]);
                conv = ok.GetProperty("conv").GetString()!;
            }
            await server.KillAsync();
            // Replies already on their way before the kill count too: drain what arrived.
            try
            {
                while (true)
                {
                    var ok = await client.NextAsync(f => f.GetProperty("type").GetString() == "ok").WaitAsync(TimeSpan.FromSeconds(2));
                    acknowledged.Add("c" + ok.GetProperty("rid").GetString()![1..]);
                }
            }
            catch (TimeoutException)
            {
            }
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                // The kill cut the stream while the client was still writing. When the client's reader sees the reset
                // first, the socket is aborted and the pending send fails as cancelled rather than as a socket error.
            }
        }

        await using var restarted = await server.RestartAsync();
        await using var reader = await WireClient.ConnectAsync(restarted, aliceToken);
        var history = await HistoryAsync(reader, conv);
        var cids = history.Select(m => m.GetProperty("cid").GetString()!).ToList();
        Assert.Equal(cids.Count, cids.Distinct().Count());
        Assert.Empty(acknowledged.Except(cids));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(n => (long)n), history.Select(m => m.GetProperty("n").GetInt64()));
        // The stream was cut: not everything made it, so the kill really came mid-stream.
        Assert.True(history.Count < total, $"all {total} messages were stored before the kill");
    }
}

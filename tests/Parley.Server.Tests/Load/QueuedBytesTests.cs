using System.Text.Json;
using Parley.Testing;
using Xunit.Abstractions;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Load;

/// <summary>
/// Issue 17 item 1: a socket's send queue is bounded in bytes, not only in frames. A client that asks for large
/// histories and never reads is closed with 4409 once its unread replies pass <c>Parley:Gateway:MaxQueuedBytes</c>.
/// </summary>
[Collection(HeavyLoad.Name)]
public sealed class QueuedBytesTests(ITestOutputHelper output)
{
    private const int Messages = 200;
    // A body of 16,000 characters is 16,002 bytes of JSON: under the default 16 KiB, so a history of 200 is about 3.3 MB.
    private const int BodyChars = 16_000;
    private const int HistoryRequests = 100;
    // Holding the unread replies would cost HistoryRequests x 3.3 MB = 330 MB. With the default cap of 8 MiB the socket
    // holds at most 8 MiB plus one reply; the rest of the bound is the garbage of building the few replies made before
    // the close (the rows, their bodies and the reply, each about 3.3 MB) between two collections.
    private const long MaxGrowth = 96L * 1024 * 1024;

    [Fact]
    public async Task A_client_that_asks_for_large_histories_and_never_reads_is_closed_with_4409_and_memory_stays_bounded()
    {
        await using var server = await ServerProcess.StartAsync(environment: new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x1000000" });
        var user = Unique("h");
        var conv = $"d:{user}:{user}";
        await using (var writer = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, user)))
        {
            var body = new string('x', BodyChars);
            var rids = new List<string>();
            for (var i = 0; i < Messages; i++)
            {
                var rid = writer.NextRid();
                rids.Add(rid);
                await writer.SendAsync(new Dictionary<string, object?> { ["type"] = "send", ["rid"] = rid, ["cid"] = $"c{i}", ["conv"] = conv, ["body"] = body });
            }
            foreach (var rid in rids) Assert.Equal("ok", (await writer.NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == rid)).GetProperty("type").GetString());
            // A history read first, so that what is measured below is the flood, not JIT compilation (50 messages: the
            // test client reads messages of up to 1 MiB).
            var history = await writer.RequestAsync(new() { ["type"] = "history", ["conv"] = conv, ["limit"] = 50 });
            Assert.Equal(50, history.GetProperty("messages").GetArrayLength());
        }

        using var reader = await RawSocket.HelloAsync(server, await WireClient.LoginAsync(server, user, register: false));
        var before = ProcessStatus.Read(server.Pid, "VmRSS");
        await ProcessStatus.ResetPeakAsync(server.Pid);
        var request = JsonSerializer.Serialize(new { type = "history", rid = "h", conv, limit = 200 });
        var sent = 0;
        try
        {
            for (; sent < HistoryRequests; sent++) await reader.SendTextAsync(request);
        }
        catch (IOException)
        {
            // The server closed the socket before every request was written: that is the point.
        }
        var m = await PrometheusText.WaitAsync(server, t => t.Value("parley_connections_closed_total", ("code", "4409")) >= 1, TimeSpan.FromSeconds(30));
        var peak = ProcessStatus.Read(server.Pid, "VmHWM");

        output.WriteLine($"{sent} history requests of {Messages} x {BodyChars} characters, never read; server RSS before {before / 1024} KiB, " +
            $"peak {peak / 1024} KiB, growth {(peak - before) / 1024} KiB");
        Assert.Equal(1, m.Value("parley_connections_closed_total", ("code", "4409")));
        Assert.True(peak - before < MaxGrowth, $"the server grew from {before / 1024} KiB to a peak of {peak / 1024} KiB");
    }
}

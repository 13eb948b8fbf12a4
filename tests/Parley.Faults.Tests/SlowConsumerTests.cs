using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Parley.Faults.Tests.Support;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Faults.Tests;

/// <summary>A client that never reads: the server stops queuing for it and closes it, instead of holding everything.</summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int Messages = 3000;
    private const int BodyBytes = 8000;

    [Fact]
    public async Task A_socket_that_is_never_read_is_closed_and_what_it_missed_is_not_held_in_memory()
    {
        await using var server = await ServerProcess.StartAsync(args:
        [
            "--Parley:Gateway:MaxInFlightRequests=16", "--Parley:Gateway:SendQueueCapacity=64",
            "--Parley:Gateway:SendStallTimeout=00:00:02", "--Parley:Gateway:CloseTimeout=00:00:02",
        ]).Within(TimeSpan.FromSeconds(90));
        var (alice, slow) = (("al" + Guid.NewGuid().ToString("N"))[..20], ("sl" + Guid.NewGuid().ToString("N"))[..20]);
        await using var a = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, alice));
        var slowToken = await WireClient.LoginAsync(server, slow);

        // The slow consumer says hello and then reads nothing while the messages pile up toward it.
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).Within();
        await socket.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"hello","token":"{{slowToken}}"}"""), WebSocketMessageType.Text, true, CancellationToken.None).Within();
        var rssBefore = ProcessStatus.Read(server.Pid, "VmRSS") / 1024;

        var body = new string('x', BodyBytes);
        for (var i = 0; i < Messages; i++)
        {
            await a.SendAsync(new { type = "send", rid = $"m{i}", cid = $"m{i}", to = slow, body });
        }
        for (var i = 0; i < Messages; i++)
        {
            var rid = $"m{i}";
            var reply = await a.NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == rid);
            Assert.Equal("ok", reply.GetProperty("type").GetString());
        }
        var rssAfter = ProcessStatus.Read(server.Pid, "VmRSS") / 1024;
        // The server gives up on the socket once its queue has stayed full for the stall timeout. Reading before that
        // would let the socket recover (and the re-pushes of the never-acked events would keep it busy), so wait for it.
        await server.WaitForOutputAsync("Closing the connection with 4409", Bounded.Default);

        // Now read: what the kernel buffered arrives, then the socket ends (4409, or reset if the close could not be written).
        var received = 0;
        WebSocketCloseStatus? status = null;
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, CancellationToken.None).Within();
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    status = result.CloseStatus;
                    break;
                }
                if (result.EndOfMessage) received++;
            }
        }
        catch (WebSocketException)
        {
        }
        var pong = await a.RequestAsync(new() { ["type"] = "ping" });

        output.WriteLine($"slow consumer: sent={Messages} x {BodyBytes} B ({Messages * (long)BodyBytes / 1024} KiB), all ok; frames the slow socket got " +
            $"before its end={received}; close={(status is null ? "reset" : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))}; " +
            $"server RSS {rssBefore} KiB -> {rssAfter} KiB (+{rssAfter - rssBefore} KiB)");
        Assert.True(received < Messages, "the server did not hold every message for the socket that never read");
        Assert.True(status is null || (int)status == 4409, $"closed with 4409 (or reset), not {status}");
        Assert.Equal("ok", pong.GetProperty("type").GetString());
        // What the socket missed is in the store: it catches up when it resumes.
        await using var resumed = await WireClient.ConnectAsync(server, slowToken, after: 0);
        Assert.Equal(Messages, resumed.Welcome.GetProperty("head").GetInt64());
    }
}

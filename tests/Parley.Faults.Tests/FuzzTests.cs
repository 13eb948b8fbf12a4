using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Parley.Faults.Tests.Support;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Faults.Tests;

/// <summary>Malformed frames, many and random, never take the server down nor touch other users' sockets.</summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Frames = 10_000;
    private const int Sockets = 4;
    private const int Seed = 20261128;

    private static readonly string[] Types =
        ["send", "ack", "read", "history", "convs", "receipts", "delete", "group.create", "group.add", "group.remove", "group.leave",
         "group.rename", "group.admin", "group.info", "retention", "presence.subscribe", "presence.set", "privacy", "typing", "ping",
         "react", "edit", "block", "unblock", "blocked", "group.invite", "group.revokeInvite", "group.join", "group.describe",
         "hello", "nope", ""];

    private static readonly string[] Values =
        ["null", "true", "-1", "1e309", "9223372036854775808", "\"\"", "\"x\"", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{}}}",
         "\"\\ud800\"", "0.5", "\"d:a:b\"", "\"g:zz\"", "\"g:0000000000000000\"", new string('9', 400), "\"" + new string('x', 300) + "\""];

    private static readonly string[] Fields = ["rid", "cid", "to", "conv", "body", "seq", "upTo", "n", "before", "limit", "name", "members",
        "member", "admin", "ttl", "users", "state", "lastSeen", "kind", "media", "after", "token", "replyTo", "emoji", "user", "code",
        "description"];

    /// <summary>One malformed frame: raw bytes, broken JSON, or a request whose fields have the wrong shapes.</summary>
    private static (byte[] Bytes, WebSocketMessageType Type) NextFrame(Random random)
    {
        switch (random.Next(6))
        {
            case 0:
                var bytes = new byte[random.Next(0, 200)];
                random.NextBytes(bytes);
                return (bytes, WebSocketMessageType.Text);
            case 1:
                var binary = new byte[random.Next(1, 64)];
                random.NextBytes(binary);
                return (binary, WebSocketMessageType.Binary);
            case 2:
                var json = Request(random);
                return (Encoding.UTF8.GetBytes(json[..random.Next(0, json.Length)]), WebSocketMessageType.Text);
            default:
                return (Encoding.UTF8.GetBytes(Request(random)), WebSocketMessageType.Text);
        }
    }

    private static string Request(Random random)
    {
        var fields = new List<string> { $"\"type\":\"{Types[random.Next(Types.Length)]}\"" };
        for (var i = random.Next(0, 6); i > 0; i--) fields.Add($"\"{Fields[random.Next(Fields.Length)]}\":{Values[random.Next(Values.Length)]}");
        return "{" + string.Join(',', fields.OrderBy(_ => random.Next())) + "}";
    }

    [Fact]
    public async Task Ten_thousand_malformed_frames_leave_the_server_up_and_a_bystander_connected()
    {
        await using var server = await ServerProcess.StartAsync().Within(TimeSpan.FromSeconds(90));
        var (bystander, friend) = ($"by{Guid.NewGuid():N}"[..20], $"fr{Guid.NewGuid():N}"[..20]);
        await using var watch = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, bystander));
        await using var other = await WireClient.ConnectAsync(server, await WireClient.LoginAsync(server, friend));
        var fuzzTokens = new List<string>();
        for (var i = 0; i < Sockets; i++) fuzzTokens.Add(await WireClient.LoginAsync(server, $"fz{i}{Guid.NewGuid():N}"[..20]));

        var random = new Random(Seed);
        var frames = Enumerable.Range(0, Frames).Select(_ => NextFrame(random)).ToList();
        var sockets = new FuzzSocket[Sockets];
        for (var i = 0; i < Sockets; i++) sockets[i] = await FuzzSocket.ConnectAsync(server.WebSocketUri, fuzzTokens[i]);
        var closes = new Dictionary<string, int>();
        var clock = Stopwatch.StartNew();
        try
        {
            for (var f = 0; f < frames.Count && clock.Elapsed < TimeSpan.FromMinutes(3); f++)
            {
                var s = f % Sockets;
                if (!await sockets[s].SendAsync(frames[f].Bytes, frames[f].Type))
                {
                    // The server may close a socket that keeps misbehaving (1008); the fuzzer comes back and goes on.
                    var status = sockets[s].CloseStatus?.ToString() ?? "aborted";
                    closes[status] = closes.GetValueOrDefault(status) + 1;
                    await sockets[s].DisposeAsync();
                    sockets[s] = await FuzzSocket.ConnectAsync(server.WebSocketUri, fuzzTokens[s]);
                    await sockets[s].SendAsync(frames[f].Bytes, frames[f].Type);
                }
                if (f % 2500 == 0)
                {
                    // Mid-stream, the bystander is served as usual.
                    Assert.Equal("ok", (await watch.RequestAsync(new() { ["type"] = "ping" })).GetProperty("type").GetString());
                }
            }
        }
        finally
        {
            foreach (var socket in sockets) await socket.DisposeAsync();
        }

        // The server is up, the bystander's socket was never closed, and it still receives messages.
        using (var http = new HttpClient { BaseAddress = server.BaseUri })
        using (var health = await http.GetAsync("healthz").Within())
        {
            Assert.True(health.IsSuccessStatusCode);
        }
        Assert.Equal("ok", (await watch.RequestAsync(new() { ["type"] = "ping" })).GetProperty("type").GetString());
        await other.RequestAsync(new() { ["type"] = "send", ["cid"] = "after-fuzz", ["to"] = bystander, ["body"] = "still here" });
        var message = await watch.NextAsync("message");
        Assert.Equal("after-fuzz", message.GetProperty("cid").GetString());
        output.WriteLine($"fuzz: seed={Seed} frames={Frames} sockets={Sockets} elapsed={clock.Elapsed.TotalSeconds:F1}s " +
            $"fuzzer closes={string.Join(", ", closes.Select(c => $"{c.Key}:{c.Value}"))} bystander pings ok, message delivered, server healthy");
        Assert.False(watch.ClosedAsync().IsCompleted, "the bystander's socket stayed open");
    }
}

using System.Text.Json;
using Parley.Faults.Tests.Support;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Faults.Tests;

/// <summary>The store's disk fills up: sends fail honestly, nothing acknowledged is lost, and the server recovers.</summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    private const int SendsWhileFull = 200;

    private static Dictionary<string, object?> Send(string cid, string to, string body) =>
        new() { ["type"] = "send", ["cid"] = cid, ["to"] = to, ["body"] = body };

    [Fact]
    public async Task Sends_on_a_full_disk_are_refused_never_acknowledged_and_succeed_again_once_space_returns()
    {
        await using var disk = await SmallDisk.CreateAsync(megabytes: 48);
        var server = await ServerProcess.StartAsync(disk.DataDir, disk.ServerArgs).Within(TimeSpan.FromSeconds(90));
        try
        {
            var (alice, bob) = (("al" + Guid.NewGuid().ToString("N"))[..20], ("bo" + Guid.NewGuid().ToString("N"))[..20]);
            var aliceToken = await WireClient.LoginAsync(server, alice);
            var bobToken = await WireClient.LoginAsync(server, bob);
            await using var a = await WireClient.ConnectAsync(server, aliceToken);
            var body = new string('x', 8000);
            var acknowledged = new Dictionary<string, string>(); // cid -> id
            var before = await a.RequestAsync(Send("before", bob, body));
            acknowledged["before"] = before.GetProperty("id").GetString()!;

            var filled = await disk.FillAsync();
            var errors = new Dictionary<string, int>();
            for (var i = 0; i < SendsWhileFull; i++)
            {
                var reply = await a.RequestAsync(Send($"full{i}", bob, body));
                if (reply.GetProperty("type").GetString() == "ok") acknowledged[$"full{i}"] = reply.GetProperty("id").GetString()!;
                else
                {
                    var code = reply.GetProperty("code").GetString()!;
                    errors[code] = errors.GetValueOrDefault(code) + 1;
                }
            }
            var okWhileFull = acknowledged.Count - 1;

            // Space returns: the same server accepts sends again (a retried cid included), without a restart.
            disk.Free();
            JsonElement retried = default;
            await Bounded.EventuallyAsync(async () =>
            {
                retried = await a.RequestAsync(Send("full0", bob, body));
                return retried.GetProperty("type").GetString() == "ok";
            }, "a send succeeds once space is back");
            acknowledged["full0"] = retried.GetProperty("id").GetString()!;
            for (var i = 0; i < 20; i++)
            {
                var reply = await a.RequestAsync(Send($"after{i}", bob, body));
                Assert.Equal("ok", reply.GetProperty("type").GetString());
                acknowledged[$"after{i}"] = reply.GetProperty("id").GetString()!;
            }

            // Everything acknowledged is stored, and survives a restart: Bob receives each exactly once.
            await server.StopAsync();
            var restarted = await server.RestartAsync().Within(TimeSpan.FromSeconds(90));
            await server.DisposeAsync();
            server = restarted;
            await using var b = await WireClient.ConnectAsync(server, bobToken, after: 0);
            var received = new Dictionary<string, int>();
            while (!acknowledged.Values.All(received.ContainsKey))
            {
                var message = await b.NextAsync("message");
                var id = message.GetProperty("id").GetString()!;
                received[id] = received.GetValueOrDefault(id) + 1;
            }
            var lost = acknowledged.Values.Count(id => !received.ContainsKey(id));
            var duplicates = received.Values.Sum(n => n - 1);
            output.WriteLine($"disk full ({(disk.Mounted ? "tmpfs 48 MiB, filled with " + filled + " bytes" : "injected store fault (no tmpfs mounted)")}): " +
                $"sent while full={SendsWhileFull} ok while full={okWhileFull} errors={string.Join(", ", errors.Select(e => $"{e.Key}:{e.Value}"))}; " +
                $"after freeing: 21 sent, 21 ok; acknowledged={acknowledged.Count} delivered after restart={received.Count} lost={lost} dup={duplicates}");

            Assert.True(errors.Values.Sum() > 0, "sends on the full disk were refused");
            Assert.All(errors.Keys, code => Assert.Contains(code, new[] { "internal", "overloaded" }));
            Assert.Equal(0, lost);
            Assert.Equal(0, duplicates);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}

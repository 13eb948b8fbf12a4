using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Parley.Testing;
using Xunit.Abstractions;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Load;

/// <summary>Real overload, not a forced level: a flood of sends moves the governor to level 1 or more, and it comes back to 0 after.</summary>
[Collection(HeavyLoad.Name)]
public sealed partial class OverloadTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int Window = 128;
    private static readonly TimeSpan FloodTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CalmTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_flood_of_sends_raises_the_load_level_and_it_falls_back_to_0_once_the_flood_stops()
    {
        // Thresholds far below the defaults, so that this machine's flood is an overload; the CPU signal is left out
        // (the machine is shared: another process's load must not decide this test).
        await using var server = await ServerProcess.StartAsync(args:
        [
            "--Parley:Governor:SampleInterval=00:00:00.100", "--Parley:Governor:CalmPeriod=00:00:01",
            "--Parley:Governor:StoreQueue:Level1=20", "--Parley:Governor:StoreLagMs:Level1=50",
            "--Parley:Governor:OutboundBacklog:Level1=200", "--Parley:Governor:CpuPercent:Level1=0",
            // Nobody acks in a flood; no re-push should add to the load the test measures.
            "--Parley:Delivery:AckTimeout=00:10:00",
        ]);
        var flooders = new List<FloodClient>();
        var users = new List<string>();
        for (var i = 0; i < Clients; i++)
        {
            var user = Unique("f");
            users.Add(user);
            flooders.Add(await FloodClient.ConnectAsync(server, await WireClient.LoginAsync(server, user)));
        }
        try
        {
            // Setting up (registrations are store writes too) may itself pass these low thresholds: start from level 0.
            await PrometheusText.WaitAsync(server, t => t.Value("parley_governor_level") == 0, CalmTimeout);
            var risesBefore = RoseTo().Count(server.Output);
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            // Each floods its own self-chat, bounded in count in case the level never rises.
            var floods = flooders.Select((f, i) => Task.Run(() => f.FloodAsync(users[i], Window, 200, 200_000, stop.Token))).ToList();
            var rose = PrometheusText.WaitAsync(server, t => t.Value("parley_governor_level") >= 1, FloodTimeout);
            await Task.WhenAny(rose, Task.WhenAll(floods));
            var roseAfter = clock.Elapsed;
            await stop.CancelAsync();
            await Task.WhenAll(floods).WaitAsync(FloodTimeout);
            await rose;
            var stopped = clock.Elapsed;

            var calm = await PrometheusText.WaitAsync(server, t => t.Value("parley_governor_level") == 0, CalmTimeout);
            var fellAfter = clock.Elapsed - stopped;
            var peak = RoseTo().Matches(server.Output).Skip(risesBefore).Max(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            var sent = flooders.Sum(f => f.Sent);
            output.WriteLine($"{sent} sends from {Clients} clients; level rose to {peak} after {roseAfter.TotalSeconds:0.0} s; " +
                $"the flood stopped at {stopped.TotalSeconds:0.0} s; level 0 again {fellAfter.TotalSeconds:0.0} s later");
            output.WriteLine(string.Join('\n', server.Output.Split('\n').Where(l => l.Contains("Load level", StringComparison.Ordinal))));

            Assert.InRange(peak, 1, 3);
            Assert.True(sent > 0, "the level rose before any send of the flood was answered");
            Assert.Equal(0, flooders.Sum(f => f.Errors));
            // Every send was stored: shedding never touches messages.
            Assert.Equal(sent, calm.Value("parley_messages_accepted_total"));
        }
        finally
        {
            foreach (var f in flooders) await f.DisposeAsync();
        }
    }

    [GeneratedRegex(@"Load level rose to (\d)")]
    private static partial Regex RoseTo();
}

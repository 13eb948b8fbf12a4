using Parley.Testing;
using Xunit.Abstractions;
using static Parley.Server.Tests.PresenceWire;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests.Load;

/// <summary>The slow consumer fault: a client that never reads is closed by backpressure, and the server's memory stays bounded.</summary>
[Collection(HeavyLoad.Name)]
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int QueueCapacity = 64;
    private const int BodyChars = 12_000;
    // About 114 MiB of message events for the socket that never reads: far more than its queue (64 frames, under 1 MiB)
    // and the kernel's socket buffers hold.
    private const int Messages = 10_000;
    // Holding what was sent to the stalled socket would cost at least those 114 MiB. Measured growth on the 2-core
    // machine: 40 to 65 MiB, the garbage of some 500 MiB of frames and bodies (the sender's echo included) between two
    // collections; the bound leaves room for the GC's swings and stays below what buffering would cost. The GC sizes
    // its youngest generation from the L3 cache: on a machine with 300 MiB of it the garbage alone grew by 135-144 MiB
    // (the code before the last changes as well), so the server runs with a fixed 16 MiB budget here (growth 71 MiB).
    private const long MaxGrowth = 96L * 1024 * 1024;

    [Fact]
    public async Task A_client_that_never_reads_is_closed_with_4409_and_the_server_memory_stays_bounded()
    {
        await using var server = await ServerProcess.StartAsync(args:
        [
            $"--Parley:Gateway:SendQueueCapacity={QueueCapacity}", "--Parley:Gateway:MaxInFlightRequests=16",
            "--Parley:Gateway:SendStallTimeout=00:00:02",
        ], environment: new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "0x1000000" });
        var (stalled, sender) = (Unique("s"), Unique("p"));
        using var reader = await RawSocket.HelloAsync(server, await WireClient.LoginAsync(server, stalled));
        await using var flood = await FloodClient.ConnectAsync(server, await WireClient.LoginAsync(server, sender));
        // A first round runs the code once, so that what is measured is the flood, not JIT compilation.
        await flood.FloodAsync(stalled, 16, BodyChars, 16, CancellationToken.None);

        var before = ProcessStatus.Read(server.Pid, "VmRSS");
        await ProcessStatus.ResetPeakAsync(server.Pid);
        await flood.FloodAsync(stalled, 16, BodyChars, Messages, CancellationToken.None);
        var m = await PrometheusText.WaitAsync(server, t => t.Value("parley_connections_closed_total", ("code", "4409")) >= 1
            && t.Value("parley_connections") == 1, TimeSpan.FromSeconds(60));
        var peak = ProcessStatus.Read(server.Pid, "VmHWM");

        output.WriteLine($"{flood.Sent} messages of {BodyChars} characters to a socket that never reads; server RSS before {before / 1024} KiB, " +
            $"peak {peak / 1024} KiB, growth {(peak - before) / 1024} KiB; now anonymous {ProcessStatus.Read(server.Pid, "RssAnon") / 1024} KiB, file {ProcessStatus.Read(server.Pid, "RssFile") / 1024} KiB");
        Assert.Equal(0, flood.Errors);
        Assert.Equal(1, m.Value("parley_connections_closed_total", ("code", "4409")));
        Assert.True(peak - before < MaxGrowth, $"the server grew from {before / 1024} KiB to a peak of {peak / 1024} KiB");
        // Nothing was lost by the close: every message is in the store, and the stalled user gets them when it resumes.
        Assert.Equal(flood.Sent, m.Value("parley_messages_accepted_total"));
    }
}

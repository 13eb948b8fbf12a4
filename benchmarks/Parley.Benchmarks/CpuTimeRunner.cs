using System.Diagnostics;
using System.Globalization;
using Parley.Storage;

namespace Parley.Benchmarks;

/// <summary>
/// The writer benchmarks measured in process CPU time instead of wall time (`-- --cpu [invocations] [name filter]`): on a machine shared
/// with other work, wall time mostly measures the neighbours, CPU time what the code spends. One line per configuration.
/// </summary>
internal static class CpuTimeRunner
{
    public static async Task RunAsync(int invocations, string filter)
    {
        foreach (var burst in new[] { 1, 64 })
        {
            var roundTrip = new DirectRoundTripBenchmarks { Burst = burst };
            var name = $"DirectRoundTrip.SendAndAcks Burst={burst}";
            if (name.Contains(filter, StringComparison.Ordinal))
            {
                await MeasureAsync(name, roundTrip.SetupAsync, roundTrip.SendAndAcks, roundTrip.CleanupAsync, invocations);
            }
            var append = new CommitWriterBenchmarks { Burst = burst, Durability = Durability.Normal };
            name = $"CommitWriter.AppendDirect Burst={burst} Normal";
            if (name.Contains(filter, StringComparison.Ordinal))
            {
                await MeasureAsync(name, append.SetupAsync, append.AppendDirect, append.CleanupAsync, invocations);
            }
        }
    }

    private static async Task MeasureAsync(string name, Func<Task> setup, Func<Task> invoke, Func<Task> cleanup, int invocations)
    {
        await setup();
        for (var i = 0; i < invocations / 4 + 1; i++) await invoke(); // warm-up: JIT and the page cache
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < invocations; i++) await invoke();
        process.Refresh();
        var perMessage = (process.TotalProcessorTime - cpu).TotalMicroseconds / (invocations * 64.0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {perMessage:F1} µs CPU per message, {wall.Elapsed.TotalMicroseconds / (invocations * 64.0):F1} µs wall ({invocations * 64} messages)"));
        await cleanup();
    }
}

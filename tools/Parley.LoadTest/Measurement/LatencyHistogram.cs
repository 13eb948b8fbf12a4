using System.Diagnostics;
using HdrHistogram;
using Parley.LoadTest.Reports;

namespace Parley.LoadTest.Measurement;

/// <summary>A latency distribution in microseconds (1 µs .. 10 min, 3 significant digits), safe to record into from any thread.</summary>
public sealed class LatencyHistogram
{
    private readonly LongHistogram _histogram = new(TimeStamp.Minutes(10), 3);
    private readonly Lock _gate = new();

    /// <summary>Records the time from <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> timestamp) to now.</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public void Record(TimeSpan elapsed)
    {
        var micros = Math.Clamp((long)(elapsed.Ticks / (double)TimeSpan.TicksPerMicrosecond), 1, _histogram.HighestTrackableValue);
        lock (_gate) _histogram.RecordValue(micros);
    }

    public LatencySummary Summarize()
    {
        lock (_gate)
        {
            var n = _histogram.TotalCount;
            if (n == 0) return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
            return new LatencySummary(
                n,
                Ms(_histogram.GetValueAtPercentile(50)),
                Ms(_histogram.GetValueAtPercentile(90)),
                Ms(_histogram.GetValueAtPercentile(99)),
                Ms(_histogram.GetValueAtPercentile(99.9)),
                Ms(_histogram.GetMaxValue()),
                Math.Round(_histogram.GetMean() / 1000.0, 3));
        }
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

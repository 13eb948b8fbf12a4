using System.Diagnostics;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;

namespace Parley.LoadTest.Scenarios;

/// <summary>What every scenario shares: the hard timeout, the server probe, the clock, and the report's assembly.</summary>
public sealed class RunContext : IDisposable
{
    private readonly CommonSettings _settings;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private readonly CancellationTokenSource _timeout;

    public RunContext(CommonSettings settings, CancellationToken cancellationToken)
    {
        _settings = settings;
        Probe = ServerProbe.For(settings.ServerPid);
        _timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
    }

    /// <summary>Cancelled by Ctrl+C or when <c>--timeout</c> is reached.</summary>
    public CancellationToken Token => _timeout.Token;

    public ServerProbe? Probe { get; }

    /// <summary>Server RSS at named moments (empty without <c>--server-pid</c>).</summary>
    public List<Figure> Rss { get; } = [];

    public void SampleRss(string moment)
    {
        if (Probe is { } p) Rss.Add(new Figure("RSS " + moment, p.RssKib(), "KiB"));
    }

    /// <summary>Prints a setup step on stderr.</summary>
    public void Say(string line) => Console.Error.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {line}");

    /// <summary>Say with a rate limit, for counters updated thousands of times.</summary>
    public Action<int> Counter(string what, int total)
    {
        var every = Math.Max(total / 10, 1);
        return n =>
        {
            if (n % every == 0 || n == total) Say($"{what} {n}/{total}");
        };
    }

    public async Task<int> FinishAsync(string scenario, CommonSettings settings, IReadOnlyDictionary<string, string> resolved,
        List<Figure> figures, List<NamedLatency> latencies, ServerCpu? cpu, List<Check> checks)
    {
        var report = new LoadReport(
            scenario, _settings.ServerUri.ToString(), _startedAt, Math.Round(_clock.Elapsed.TotalSeconds, 1),
            ParameterList.Of(settings, resolved), figures, latencies, cpu, Rss, checks, checks.TrueForAll(c => c.Held));
        await ReportFiles.WriteAsync(report, settings.Report, CancellationToken.None);
        return report.Passed ? 0 : 1;
    }

    public void Dispose() => _timeout.Dispose();
}

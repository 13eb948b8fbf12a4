namespace Parley.LoadTest.Reports;

/// <summary>One run's result, written as JSON and Markdown.</summary>
/// <param name="Scenario">pairs, light, group, idle, churn or reconnect-storm.</param>
/// <param name="Server">The server's HTTP base.</param>
/// <param name="StartedAt">When the run started (UTC).</param>
/// <param name="ElapsedSeconds">The whole run, setup included.</param>
/// <param name="Parameters">Every option, with the value used (defaults included).</param>
/// <param name="Figures">Counts and rates, by name (ordered as measured).</param>
/// <param name="Latencies">Latency distributions, ms, by what they measure.</param>
/// <param name="ServerCpu">The server's CPU over the measured window, when its PID was given.</param>
/// <param name="ServerRssKib">The server's resident memory at named moments, when its PID was given.</param>
/// <param name="Checks">What must hold for the run to pass (no loss, no duplicate, no error...), with the outcome.</param>
/// <param name="Passed">Every check held.</param>
public sealed record LoadReport(
    string Scenario,
    string Server,
    DateTimeOffset StartedAt,
    double ElapsedSeconds,
    IReadOnlyList<Parameter> Parameters,
    IReadOnlyList<Figure> Figures,
    IReadOnlyList<NamedLatency> Latencies,
    ServerCpu? ServerCpu,
    IReadOnlyList<Figure> ServerRssKib,
    IReadOnlyList<Check> Checks,
    bool Passed);

public sealed record Parameter(string Option, string Value);

public sealed record Figure(string Name, double Value, string Unit);

public sealed record NamedLatency(string Name, LatencySummary Ms);

/// <summary>A latency distribution, ms.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean);

/// <summary>Server CPU over the measured window.</summary>
/// <param name="TotalMs">CPU time used, ms.</param>
/// <param name="CorePercent">Of one core, on average.</param>
/// <param name="Units">What the CPU is divided by (messages, deliveries, connections).</param>
/// <param name="UnitName">The name of those units.</param>
/// <param name="MicrosPerUnit">CPU µs per unit.</param>
public sealed record ServerCpu(double TotalMs, double CorePercent, long Units, string UnitName, double? MicrosPerUnit);

public sealed record Check(string Name, bool Held, string Detail);

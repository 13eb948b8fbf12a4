using System.Diagnostics;

namespace Parley.Server.Hosting;

/// <summary>
/// The logger factory with two Orleans messages put right; every other entry passes unchanged.
/// <list type="bullet">
/// <item>Orleans' <c>Watchdog.Start</c> starts its platform thread before it sets the component thread's start
/// timestamp. When the starting thread is preempted in between (start-up on a busy machine), the platform thread's
/// first check measures from timestamp 0, the monotonic clock's origin, and warns "Participant check thread has not
/// completed for" the machine's uptime. A stall longer than this process has lived cannot be real: that warning is
/// dropped, and real stalls are still reported.</item>
/// <item>A grain's push to a connection that closed meanwhile (its observer reference already deleted) reaches the
/// silo's hosted client, which logs it as an error ("Unexpected target grain in request"). A connection closing while
/// a grain still has it registered is ordinary: it is logged at Debug.</item>
/// </list>
/// </summary>
internal sealed class OrleansLogAdjustments(ILoggerFactory inner) : ILoggerFactory
{
    internal const string WatchdogCategory = "Orleans.Runtime.Watchdog";
    internal const string HostedClientCategory = "Orleans.Runtime.HostedClient";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName switch
        {
            WatchdogCategory => new AdjustedLogger(logger, DropStartupRace),
            HostedClientCategory => new AdjustedLogger(logger, LowerClosedObserver),
            _ => logger,
        };
    }

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The container that created the inner factory disposes it.
    public void Dispose()
    {
    }

    /// <summary>Null drops the entry; otherwise the level to log it at.</summary>
    private static LogLevel? DropStartupRace(LogLevel level, IReadOnlyList<KeyValuePair<string, object?>> fields) =>
        Template(fields).StartsWith("Participant check thread has not completed", StringComparison.Ordinal)
            && Field(fields, "TimeSinceLastTick") is TimeSpan stalled && stalled > ProcessAge()
            ? null
            : level;

    private static LogLevel? LowerClosedObserver(LogLevel level, IReadOnlyList<KeyValuePair<string, object?>> fields) =>
        Template(fields).StartsWith("Unexpected target grain in request", StringComparison.Ordinal) ? LogLevel.Debug : level;

    private static string Template(IReadOnlyList<KeyValuePair<string, object?>> fields) => Field(fields, "{OriginalFormat}") as string ?? "";

    private static object? Field(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        foreach (var (key, value) in fields)
        {
            if (key == name) return value;
        }
        return null;
    }

    private static TimeSpan ProcessAge()
    {
        using var process = Process.GetCurrentProcess();
        return DateTime.Now - process.StartTime;
    }

    private sealed class AdjustedLogger(ILogger inner, Func<LogLevel, IReadOnlyList<KeyValuePair<string, object?>>, LogLevel?> adjust) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = state is IReadOnlyList<KeyValuePair<string, object?>> fields ? adjust(logLevel, fields) : logLevel;
            if (level is { } adjusted) inner.Log(adjusted, eventId, state, exception, formatter);
        }
    }
}

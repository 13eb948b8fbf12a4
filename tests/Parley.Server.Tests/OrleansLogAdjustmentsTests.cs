using Microsoft.Extensions.Logging;
using Parley.Server.Hosting;

namespace Parley.Server.Tests;

/// <summary>The two Orleans log entries Parley puts right, and that nothing else changes.</summary>
public sealed class OrleansLogAdjustmentsTests
{
    // The templates Orleans 10 logs (Watchdog.LogWarningParticipantCheckThreadStalled, InvokableObjectManager.LogUnexpectedTargetInRequest).
    private static readonly Action<ILogger, TimeSpan, Exception?> ParticipantCheckStalled = LoggerMessage.Define<TimeSpan>(LogLevel.Warning,
        new EventId(100000 + 2404), "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.");

    private static readonly Action<ILogger, string, string, Exception?> UnexpectedTarget = LoggerMessage.Define<string, string>(LogLevel.Error,
        new EventId(100000 + 2500), "Unexpected target grain in request: {TargetGrain}. Message: '{Message}'.");

    private static readonly Action<ILogger, TimeSpan, Exception?> PlatformStalled = LoggerMessage.Define<TimeSpan>(LogLevel.Warning,
        new EventId(100000 + 2404), ".NET Runtime Platform stalled for {TimeSinceLastTick}.");

    [Fact]
    public void A_participant_stall_longer_than_the_process_has_lived_is_dropped()
    {
        var (factory, entries) = Adjusted();
        // What the start-up race reports: the machine's uptime, here more than this test process can have lived.
        ParticipantCheckStalled(factory.CreateLogger(OrleansLogAdjustments.WatchdogCategory), TimeSpan.FromDays(3), null);
        Assert.Empty(entries);
    }

    [Fact]
    public void Real_watchdog_warnings_still_pass()
    {
        var (factory, entries) = Adjusted();
        var watchdog = factory.CreateLogger(OrleansLogAdjustments.WatchdogCategory);
        ParticipantCheckStalled(watchdog, TimeSpan.FromMilliseconds(1), null);
        PlatformStalled(watchdog, TimeSpan.FromDays(3), null);
        Assert.Equal([LogLevel.Warning, LogLevel.Warning], entries.Select(e => e.Level));
    }

    [Fact]
    public void A_push_to_a_closed_connection_is_logged_at_debug()
    {
        var (factory, entries) = Adjusted();
        UnexpectedTarget(factory.CreateLogger(OrleansLogAdjustments.HostedClientCategory), "sys.client/abc", "OneWay ...", null);
        var entry = Assert.Single(entries);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.StartsWith("Unexpected target grain in request: sys.client/abc", entry.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_categories_and_other_errors_are_untouched()
    {
        var (factory, entries) = Adjusted();
        UnexpectedTarget(factory.CreateLogger("Orleans.Runtime.Catalog"), "x", "y", null);
        factory.CreateLogger(OrleansLogAdjustments.HostedClientCategory).LogError("RunClientMessagePump has thrown an exception. Continuing.");
        Assert.Equal([LogLevel.Error, LogLevel.Error], entries.Select(e => e.Level));
    }

    private static (ILoggerFactory Factory, List<(LogLevel Level, string Text)> Entries) Adjusted()
    {
        var entries = new List<(LogLevel, string)>();
        return (new OrleansLogAdjustments(new RecordingFactory(entries)), entries);
    }

    private sealed class RecordingFactory(List<(LogLevel, string)> entries) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new RecordingLogger(entries);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    private sealed class RecordingLogger(List<(LogLevel, string)> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Add((logLevel, formatter(state, exception)));
    }
}

using Microsoft.Extensions.Options;
using Parley.Core.Load;
using Parley.Server.Observability;

namespace Parley.Server.Load;

/// <summary>
/// The one component that decides how much this node sheds. Every <c>SampleInterval</c> it reads the pressure
/// signals and sets the level: up at once to whatever the signals call for, down only once they have called for
/// less for a whole <c>CalmPeriod</c> (then to the highest level they called for meanwhile), so that a node does
/// not flap between shedding and not. The level lives in this process; grains on this node read it too.
/// </summary>
internal sealed partial class LoadGovernor : BackgroundService, ILoadLevel
{
    private readonly GovernorOptions _options;
    private readonly PressureSignals _signals;
    private readonly ParleyMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile int _level;
    // While the signals call for less than the level: since when, and the most they called for since.
    private DateTimeOffset? _calmSince;
    private int _calmPeak;

    public LoadGovernor(IOptions<GovernorOptions> options, PressureSignals signals, ParleyMetrics metrics, TimeProvider time, ILogger<LoadGovernor> logger)
    {
        _options = options.Value;
        _signals = signals;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _level = _options.ForceLevel ?? 0;
        _metrics.GovernorLevel = _level;
    }

    public LoadLevel Current => (LoadLevel)_level;

    public TimeSpan SlowReceiptInterval => _options.SlowReceiptInterval;

    /// <summary>What <c>overloaded</c> answers tell clients to wait.</summary>
    public TimeSpan RetryAfter => _options.RetryAfter;

    public void CountShed(string kind) => _metrics.Shed(kind);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ForceLevel is { } forced) LogForced(_logger, forced);
        using var timer = new PeriodicTimer(_options.SampleInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var sample = _signals.Read();
                _metrics.GovernorSampled(sample);
                if (_options.ForceLevel is null) Apply(sample.LevelUnder(_options), sample);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Moves the level toward what the signals call for, with the hysteresis described on the class.</summary>
    private void Apply(int called, PressureSample sample)
    {
        var now = _time.GetUtcNow();
        var level = _level;
        if (called >= level)
        {
            _calmSince = null;
            if (called > level) Set(called, level, sample);
            return;
        }
        if (_calmSince is not { } since)
        {
            (_calmSince, _calmPeak) = (now, called);
            return;
        }
        _calmPeak = Math.Max(_calmPeak, called);
        if (now - since < _options.CalmPeriod) return;
        _calmSince = null;
        Set(_calmPeak, level, sample);
    }

    private void Set(int level, int previous, PressureSample sample)
    {
        _level = level;
        _metrics.GovernorLevel = level;
        if (level > previous) LogRose(_logger, level, previous, sample);
        else LogFell(_logger, level, previous, sample);
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Load level rose to {Level} from {Previous}: {Sample}")]
    private static partial void LogRose(ILogger logger, int level, int previous, PressureSample sample);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Load level fell to {Level} from {Previous}: {Sample}")]
    private static partial void LogFell(ILogger logger, int level, int previous, PressureSample sample);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Load level forced to {Level} (Parley:Governor:ForceLevel)")]
    private static partial void LogForced(ILogger logger, int level);
}

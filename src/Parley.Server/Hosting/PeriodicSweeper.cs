namespace Parley.Server.Hosting;

/// <summary>
/// A hosted service that runs one sweep per tick of <paramref name="interval"/>. Sweeps read what is due from the store,
/// so a missed tick (a restart, a slow sweep) is simply caught up by the next one.
/// </summary>
internal abstract class PeriodicSweeper(TimeSpan interval, TimeProvider time) : BackgroundService
{
    /// <summary>The clock the sweeps run on (tests may give a fake one).</summary>
    protected TimeProvider Time { get; } = time;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SweepAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; it handles (logs) its own failures, so that the next tick tries again.</summary>
    protected abstract Task SweepAsync(CancellationToken cancellationToken);
}

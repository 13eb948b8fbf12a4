namespace Parley.LoadTest.Measurement;

/// <summary>A status line on stderr rewritten in place (\r) once a second, or nothing when it is off.</summary>
public sealed class ProgressLine : IAsyncDisposable
{
    private readonly Func<string>? _status;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private ProgressLine(Func<string>? status)
    {
        _status = status;
        _loop = status is null ? Task.CompletedTask : LoopAsync();
    }

    /// <summary>Shows <paramref name="status"/> when <paramref name="enabled"/> (default: stderr is a terminal).</summary>
    public static ProgressLine Start(bool? enabled, Func<string> status) =>
        new((enabled ?? !Console.IsErrorRedirected) ? status : null);

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) Write();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Write()
    {
        var text = _status!();
        var width = Console.IsErrorRedirected ? 160 : Math.Max(Console.WindowWidth - 1, 40);
        Console.Error.Write("\r" + (text.Length > width ? text[..width] : text.PadRight(width)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_status is null) return;
        await _stop.CancelAsync();
        await _loop;
        Write();
        Console.Error.WriteLine();
        _stop.Dispose();
    }
}

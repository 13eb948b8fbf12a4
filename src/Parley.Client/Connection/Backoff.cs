namespace Parley.Client.Connection;

/// <summary>Exponential reconnect backoff with "equal jitter": half the step is fixed, half random, so clients spread out.</summary>
internal static class Backoff
{
    /// <summary>The delay before reconnect attempt <paramref name="attempt"/> (0 for the first).</summary>
    /// <param name="attempt">How many attempts failed since the last successful connection.</param>
    /// <param name="min">The first step.</param>
    /// <param name="max">The cap.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, double random01)
    {
        var exponent = Math.Min(Math.Max(attempt, 0), 30);
        var step = Math.Min(max.Ticks, min.Ticks * Math.Pow(2, exponent));
        var half = step / 2;
        return TimeSpan.FromTicks((long)(half + half * Math.Clamp(random01, 0, 1)));
    }

    /// <summary>
    /// The wait after the server refused an attempt with Retry-After <paramref name="retryAfter"/>: at least that, plus up to
    /// as much again at random, so that the clients a storm refused together do not all come back in the same instant.
    /// </summary>
    /// <param name="retryAfter">The server's Retry-After.</param>
    /// <param name="random01">A random number in [0, 1).</param>
    public static TimeSpan AfterRefusal(TimeSpan retryAfter, double random01) =>
        retryAfter <= TimeSpan.Zero ? TimeSpan.Zero : retryAfter + TimeSpan.FromTicks((long)(retryAfter.Ticks * Math.Clamp(random01, 0, 1)));
}

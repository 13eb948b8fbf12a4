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
}

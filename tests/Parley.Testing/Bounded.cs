using System.Diagnostics;

namespace Parley.Testing;

/// <summary>
/// Every wait in the tests is bounded: a hang fails its test instead of the run. The machine is shared and noisy,
/// so the default bound is generous; it only ever matters when something is wrong.
/// </summary>
public static class Bounded
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    /// <summary>How often <see cref="EventuallyAsync(Func{Task{bool}}, string, TimeSpan?)"/> looks again.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task<T> Within<T>(this ValueTask<T> task, TimeSpan? timeout = null) => task.AsTask().WaitAsync(timeout ?? Default);

    /// <summary>
    /// Looks at <paramref name="condition"/> until it holds, or fails naming <paramref name="what"/> after the bound. For
    /// what a test can only observe by asking again (a sweeper's effect, a file, a counter); the pause between looks
    /// is not a synchronisation, the condition is.
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var bound = timeout ?? Default;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > bound) throw new TimeoutException($"not within {bound.TotalSeconds} s: {what}");
            await Task.Delay(PollInterval);
        }
    }

    /// <inheritdoc cref="EventuallyAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task EventuallyAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), what, timeout);
}

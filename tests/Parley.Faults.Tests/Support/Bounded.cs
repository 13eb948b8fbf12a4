namespace Parley.Faults.Tests.Support;

/// <summary>Every wait in these tests is bounded; the machine is shared, so the bounds are generous.</summary>
internal static class Bounded
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(60);

    public static Task Within(this Task task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) => task.WaitAsync(timeout ?? Default);

    /// <summary>Polls <paramref name="condition"/> until it holds (a condition observed, never a fixed sleep), or fails after the bound.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > (timeout ?? Default)) throw new TimeoutException($"not within {(timeout ?? Default).TotalSeconds} s: {what}");
            await Task.Delay(100);
        }
    }
}

using Parley.Client;

namespace Parley.LoadTest.Scenarios;

/// <summary>How the load tool makes SDK clients: automatic acks, quick reconnects, timeouts generous enough for a loaded machine.</summary>
public static class Clients
{
    public static ParleyClient Create(Uri server, string token, TimeSpan? reconnectMaxDelay = null) => new(new ParleyClientOptions
    {
        ServerUri = server,
        Token = token,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = reconnectMaxDelay ?? TimeSpan.FromSeconds(5),
        RequestTimeout = TimeSpan.FromSeconds(60),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        // The scenarios count a handler's failure as an error and carry on; a retried event would stall the run.
        HandlerFailurePolicy = HandlerFailurePolicy.Skip,
    });

    private const int MaxConnectAttempts = 5;

    /// <summary>
    /// Connects every client, <paramref name="concurrency"/> at a time. The SDK's first attempt is not retried; here an
    /// upgrade the server refused (503/429) is tried again after its Retry-After until <paramref name="cancellationToken"/>,
    /// and an unreachable server up to 5 attempts.
    /// </summary>
    public static async Task ConnectAllAsync(IReadOnlyList<ParleyClient> clients, int concurrency, Action<int>? progress, CancellationToken cancellationToken,
        ConnectRetry? retry = null)
    {
        retry ??= new ConnectRetry();
        var done = 0;
        await Parallel.ForAsync(0, clients.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                await retry.ConnectAsync(clients[i], MaxConnectAttempts, ct);
                progress?.Invoke(Interlocked.Increment(ref done));
            });
    }

    public static async Task DisposeAllAsync(IEnumerable<ParleyClient> clients)
    {
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, static async (c, _) => await c.DisposeAsync());
    }
}

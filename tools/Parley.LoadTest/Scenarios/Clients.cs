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
    });

    /// <summary>Connects every client, <paramref name="concurrency"/> at a time.</summary>
    public static async Task ConnectAllAsync(IReadOnlyList<ParleyClient> clients, int concurrency, Action<int>? progress, CancellationToken cancellationToken)
    {
        var done = 0;
        await Parallel.ForAsync(0, clients.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                await clients[i].ConnectAsync(ct);
                progress?.Invoke(Interlocked.Increment(ref done));
            });
    }

    public static async Task DisposeAllAsync(IEnumerable<ParleyClient> clients)
    {
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = 64 }, static async (c, _) => await c.DisposeAsync());
    }
}

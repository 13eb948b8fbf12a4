using Parley.Testing;

namespace Parley.Cluster.Tests;

/// <summary>
/// N server processes forming one Orleans cluster: membership in a private Redis, messages in a fresh
/// PostgreSQL database, failure detection tuned to notice a dead node in a few seconds.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    public const string AdminToken = "cluster-test-admin";

    private ClusterNodes(List<ServerProcess> nodes) => Nodes = nodes;

    public List<ServerProcess> Nodes { get; }

    /// <summary>Starts <paramref name="count"/> nodes; <paramref name="extraArgs"/> are added to every node's settings.</summary>
    public static async Task<ClusterNodes> StartAsync(int count, IEnumerable<string>? extraArgs = null)
    {
        var postgres = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        var redis = await RedisServer.SharedAsync();
        string[] args =
        [
            "--Parley:Cluster:Provider=redis",
            $"--Parley:Cluster:Redis={redis.ConnectionString}",
            $"--Parley:Cluster:ClusterId=test-{Guid.NewGuid():N}",
            "--Parley:Cluster:ProbeTimeout=00:00:01",
            "--Parley:Cluster:MissedProbesLimit=2",
            $"--Parley:Cluster:AdminToken={AdminToken}",
            "--Parley:Storage:Provider=postgres",
            $"--Parley:Storage:Postgres={postgres}",
            "--Parley:Groups:ReceiptInterval=00:00:00.050",
            // These tests check presence and typing across nodes: a loaded test machine must not make a node shed them.
            "--Parley:Governor:ForceLevel=0",
            .. extraArgs ?? [],
        ];
        // The first node creates the schema; the others join it.
        var first = await ServerProcess.StartAsync(args: args);
        var others = Enumerable.Range(1, count - 1).Select(_ => ServerProcess.StartAsync(args: args)).ToList();
        ServerProcess[] rest;
        try
        {
            rest = await Task.WhenAll(others);
        }
        catch
        {
            // A node that did start must not outlive the failed test run (on a loaded machine they piled up).
            await first.DisposeAsync();
            foreach (var started in others.Where(t => t.IsCompletedSuccessfully)) await (await started).DisposeAsync();
            throw;
        }
        return new ClusterNodes([first, .. rest]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}

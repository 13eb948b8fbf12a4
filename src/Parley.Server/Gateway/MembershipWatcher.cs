using Orleans.Runtime;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway;

/// <summary>
/// When a node of the cluster dies, the user grains it held come back elsewhere without their
/// connections. Every connection of this node then re-attaches at once (and catches up from the store)
/// instead of waiting for its next periodic refresh; and this node forgets the routes it learned, which those
/// grains can no longer tell it have changed.
/// </summary>
internal sealed partial class MembershipWatcher(IClusterMembershipService membership, LiveConnections live, NodeRoutes routes,
    ILogger<MembershipWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dead = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                var newlyDead = snapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Dead && dead.Add(m.SiloAddress))
                    .Select(m => m.SiloAddress)
                    .ToList();
                if (newlyDead.Count == 0) continue;
                LogNodesLeft(logger, newlyDead.Count, live.Count);
                routes.ForgetAll();
                live.ReattachAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Nodes} node(s) left the cluster; re-attaching {Count} connections")]
    private static partial void LogNodesLeft(ILogger logger, int nodes, int count);
}

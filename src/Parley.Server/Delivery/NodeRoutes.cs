using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;
using Parley.Grains.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// The routes this node learned from user grains: for a user it publishes to, the other nodes with that user's
/// connections, so that a commit reaches them in one call per node instead of through each user's grain. A route is
/// only a shortcut: without one, the node publishes through the grain, which answers with the route.
/// </summary>
/// <remarks>
/// A grain tells its route's holders when a node joins, and waits for them before the new connection catches up;
/// a version per route keeps an answer that overtook that news from bringing the old route back. When a node dies
/// its grains die with it and cannot tell anyone, so every route is forgotten then (<see cref="ForgetAll"/>), and
/// answers to asks from before are ignored (the epoch). <c>Parley:Sessions:RouteLifetime</c> bounds the rest.
/// </remarks>
internal sealed class NodeRoutes(TimeProvider time, IOptions<SessionRegistryOptions> options)
{
    // Bounded memory: when full, every route is forgotten and asked for again.
    private const int MaxRoutes = 100_000;

    private readonly ConcurrentDictionary<string, Route> _routes = new(StringComparer.Ordinal);
    private readonly long _lifetime = (long)options.Value.RouteLifetime.TotalMilliseconds;
    // Learning and forgetting compare versions: one at a time. Reading takes no lock.
    private readonly Lock _changes = new();
    private int _epoch;

    /// <summary>Carried by a publish through a grain and echoed in its answer.</summary>
    public int Epoch => Volatile.Read(ref _epoch);

    /// <summary>The other nodes with connections of <paramref name="user"/>, if this node knows them (possibly none).</summary>
    public bool TryGet(string user, [NotNullWhen(true)] out NodeRoute[]? nodes)
    {
        if (_routes.TryGetValue(user, out var route) && route.Nodes is not null && route.ExpiresAt > Now())
        {
            nodes = route.Nodes;
            return true;
        }
        nodes = null;
        return false;
    }

    /// <summary>A grain's answer: kept unless a newer version was already heard of, or the ask came before <see cref="ForgetAll"/>.</summary>
    public void Learn(string user, long version, int epoch, NodeRoute[] nodes)
    {
        lock (_changes)
        {
            if (epoch != _epoch || (_routes.TryGetValue(user, out var known) && known.Version > version)) return;
            if (_routes.Count >= MaxRoutes)
            {
                ForgetAllLocked();
                return;
            }
            _routes[user] = new Route(version, nodes, Now() + _lifetime);
        }
    }

    /// <summary>
    /// The route changed at <paramref name="version"/>. What is kept is the version alone, so that an answer sent
    /// before the change and arriving after this is not taken.
    /// </summary>
    public void Forget(string user, long version)
    {
        lock (_changes)
        {
            if (_routes.TryGetValue(user, out var known) && known.Version > version) return;
            _routes[user] = new Route(version, null, Now() + _lifetime);
        }
    }

    /// <summary>A node died: the grains it held come back elsewhere without knowing who holds their routes.</summary>
    public void ForgetAll()
    {
        lock (_changes) ForgetAllLocked();
    }

    private void ForgetAllLocked()
    {
        _epoch++;
        _routes.Clear();
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private sealed record Route(long Version, NodeRoute[]? Nodes, long ExpiresAt);
}

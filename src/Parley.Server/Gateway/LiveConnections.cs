using System.Collections.Concurrent;
using Parley.Protocol;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>The connections open on this node, so that shutdown can close each with 1001 and the load governor can read their queues.</summary>
internal sealed class LiveConnections(ParleyMetrics metrics)
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(Connection connection)
    {
        _connections[connection.Id] = connection;
        metrics.ConnectionOpened();
    }

    public void Remove(Connection connection)
    {
        if (_connections.TryRemove(connection.Id, out _)) metrics.ConnectionClosed();
    }

    /// <summary>Frames waiting in the writer queues of all connections (a pressure signal; one pass over the connections).</summary>
    public long OutboundBacklog()
    {
        long backlog = 0;
        foreach (var connection in _connections.Values) backlog += connection.OutboundBacklog;
        return backlog;
    }

    /// <summary>Every connection registers again with its user's grain (after a node died).</summary>
    public void ReattachAll()
    {
        foreach (var connection in _connections.Values) connection.Reattach();
    }

    public void CloseAll()
    {
        foreach (var connection in _connections.Values) connection.Close(CloseCodes.GoingAway, "server shutting down");
    }
}

using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Parley.Protocol;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>
/// The connections open on this node, so that shutdown can close each with 1001, the load governor can read their queues,
/// and the caps on sockets per device and user hold.
/// </summary>
internal sealed class LiveConnections(ParleyMetrics metrics, RateLimits.SocketCaps caps)
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>The open connection with this id, if it is open here.</summary>
    public bool TryGet(string id, [NotNullWhen(true)] out Connection? connection) => _connections.TryGetValue(id, out connection);

    public void Add(Connection connection)
    {
        _connections[connection.Id] = connection;
        metrics.ConnectionOpened();
        var victim = caps.Opened(connection.Id, connection.User.Value, connection.DeviceId);
        if (victim is { } older && _connections.TryGetValue(older, out var displaced))
        {
            displaced.Close(CloseCodes.TooManyConnections, "too many sockets; a newer one took this one's place");
        }
    }

    public void Remove(Connection connection)
    {
        caps.Closed(connection.Id, connection.User.Value);
        if (_connections.TryRemove(connection.Id, out _)) metrics.ConnectionClosed();
    }

    /// <summary>Frames waiting in the writer queues of all connections (a pressure signal; one pass over the connections).</summary>
    public long OutboundBacklog()
    {
        long backlog = 0;
        foreach (var connection in _connections.Values) backlog += connection.OutboundBacklog;
        return backlog;
    }

    /// <summary>Bytes waiting in the writer queues of all connections (a pressure signal; one pass over the connections).</summary>
    public long OutboundBytes()
    {
        long bytes = 0;
        foreach (var connection in _connections.Values) bytes += connection.OutboundBytes;
        return bytes;
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

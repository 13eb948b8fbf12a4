using System.Collections.Concurrent;
using Parley.Protocol;

namespace Parley.Server.Gateway;

/// <summary>The connections open on this node, so that shutdown can close each with 1001.</summary>
internal sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, Connection> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(Connection connection) => _connections[connection.Id] = connection;

    public void Remove(Connection connection) => _connections.TryRemove(connection.Id, out _);

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

using System.Collections.Concurrent;
using Parley.Grains.Users;

namespace Parley.Server.Delivery;

/// <summary>
/// The inbox deliveries of the connections open on this node, by user, so that an event committed here reaches
/// them without a grain call or an observer call. It holds nothing that is not also somewhere else: the store has
/// every event, and each connection registers with its user's grain as well (for other nodes, presence, logout).
/// </summary>
internal sealed class LocalInboxes
{
    private readonly ConcurrentDictionary<string, InboxDelivery[]> _byUser = new(StringComparer.Ordinal);

    /// <summary>This process, as the user grains tell their connections' nodes apart (new at every start).</summary>
    public string Node { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// Adds a connection's delivery. Call it after its start is queued: a push that arrives from then on waits
    /// behind the start's catch-up, and the catch-up sees every event committed before.
    /// </summary>
    public void Add(string user, InboxDelivery delivery) =>
        _byUser.AddOrUpdate(user, static (_, d) => [d], static (_, all, d) => [.. all, d], delivery);

    public void Remove(string user, InboxDelivery delivery)
    {
        while (_byUser.TryGetValue(user, out var all))
        {
            var index = Array.IndexOf(all, delivery);
            if (index < 0) return;
            if (all.Length == 1)
            {
                if (_byUser.TryRemove(KeyValuePair.Create(user, all))) return;
                continue;
            }
            var rest = new InboxDelivery[all.Length - 1];
            Array.Copy(all, rest, index);
            Array.Copy(all, index + 1, rest, index, all.Length - index - 1);
            if (_byUser.TryUpdate(user, rest, all)) return;
        }
    }

    /// <summary>Hands one event to every connection of <paramref name="user"/> on this node.</summary>
    public void Push(string user, InboxPush push)
    {
        if (!_byUser.TryGetValue(user, out var all)) return;
        foreach (var delivery in all) delivery.OnPushed(push);
    }
}

using Microsoft.Extensions.Options;
using Parley.Server.Gateway;

namespace Parley.Server.RateLimits;

/// <summary>
/// The caps on sockets per device and per user, on this node (where each socket's memory is). A new socket is always
/// taken, since it is the one in use (an older one may be a phone's that lost its network and is not noticed yet);
/// past a cap, an older one goes: past <c>MaxSocketsPerDevice</c>, the device's oldest; past <c>MaxSocketsPerUser</c>,
/// the oldest socket of the user's device that holds the most, so that a device (a stolen token, say) that opens many
/// sockets displaces its own before any other device's.
/// </summary>
internal sealed class SocketCaps(IOptions<GatewayOptions> options)
{
    private readonly int _perDevice = options.Value.MaxSocketsPerDevice;
    private readonly int _perUser = options.Value.MaxSocketsPerUser;
    // Each user's open sockets on this node, oldest first. Most users have one or two: a list is the cheapest shape.
    private readonly Dictionary<string, List<(string Id, string Device)>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Counts a newly opened socket; returns the id of the socket to close to stay within the caps, or null.</summary>
    public string? Opened(string id, string user, string device)
    {
        lock (_byUser)
        {
            // Room for one: most users have a single socket here, and the default first growth (four) is 48 B more.
            if (!_byUser.TryGetValue(user, out var sockets)) _byUser[user] = sockets = new List<(string Id, string Device)>(1);
            sockets.Add((id, device));
            var victim = Victim(sockets, device);
            if (victim is null) return null;
            sockets.RemoveAll(s => s.Id == victim);
            return victim;
        }
    }

    /// <summary>Forgets a socket (closed, or closed by <see cref="Opened"/>'s answer: forgetting twice is harmless).</summary>
    public void Closed(string id, string user)
    {
        lock (_byUser)
        {
            if (!_byUser.TryGetValue(user, out var sockets)) return;
            sockets.RemoveAll(s => s.Id == id);
            if (sockets.Count == 0) _byUser.Remove(user);
        }
    }

    private string? Victim(List<(string Id, string Device)> sockets, string device)
    {
        if (sockets.Count(s => s.Device == device) > _perDevice) return sockets.First(s => s.Device == device).Id;
        if (sockets.Count <= _perUser) return null;
        // The device with the most sockets; between equals, the one whose oldest socket is oldest (first in the list).
        var most = sockets.GroupBy(s => s.Device).OrderByDescending(g => g.Count()).First();
        return most.First().Id;
    }
}

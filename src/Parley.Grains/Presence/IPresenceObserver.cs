using Orleans.Concurrency;

namespace Parley.Grains.Presence;

/// <summary>A connection that follows other users' presence (<c>presence.subscribe</c>), on whichever node holds it.</summary>
public interface IPresenceObserver : IGrainObserver
{
    /// <summary>
    /// <paramref name="user"/> went online or offline, or changed their privacy setting. One-way: a slow socket
    /// must not hold up the user's grain.
    /// </summary>
    [OneWay]
    Task OnPresenceAsync(string user, PresenceState state);
}

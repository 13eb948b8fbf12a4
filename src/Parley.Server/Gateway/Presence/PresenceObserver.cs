using Parley.Grains.Presence;

namespace Parley.Server.Gateway.Presence;

/// <summary>A connection's subscriptions as the followed users' grains see them.</summary>
internal sealed class PresenceObserver(PresenceSubscriptions subscriptions) : IPresenceObserver
{
    public Task OnPresenceAsync(string user, PresenceState state)
    {
        subscriptions.OnChanged(user, state);
        return Task.CompletedTask;
    }
}

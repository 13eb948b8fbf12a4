using Orleans.Concurrency;

namespace Parley.Grains.Users;

/// <summary>
/// The session service for one user (key: the username): which connections the user has, on any
/// node, and the pushes to them. It holds no fact that is not also in the store; a fresh activation
/// learns the connections again as they re-attach.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or refreshes) a connection. Connections re-attach periodically; one that stops doing so
    /// expires. Returns false when the grain did not know the connection (a new activation lost it),
    /// so the connection should catch up from the store.
    /// </summary>
    Task<bool> AttachAsync(string connectionId, string deviceId, IInboxObserver observer);

    Task DetachAsync(string connectionId);

    /// <summary>Pushes new inbox events to every live connection of the user.</summary>
    [OneWay]
    Task PublishAsync(InboxPush[] events);

    /// <summary>Closes every connection of the device (logout).</summary>
    Task RevokeDeviceAsync(string deviceId);
}

using Orleans.Concurrency;
using Parley.Core.Presence;
using Parley.Grains.Presence;

namespace Parley.Grains.Users;

/// <summary>
/// The session service for one user (key: the username): which connections the user has, on any
/// node, the pushes to them, and the user's presence (online, last seen, privacy). It holds no fact
/// that is not also in the store except who is online now; a fresh activation learns the connections
/// again as they re-attach, and reads last seen and privacy from the store.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// Registers (or refreshes) a connection with its presence mode. Connections re-attach periodically; one
    /// that stops doing so expires. Returns false when the grain did not know the connection (a new activation
    /// lost it), so the connection should catch up from the store. <paramref name="node"/> is the process that holds
    /// the socket: that process delivers its own commits to it directly, and others' through its inbox. When the node
    /// is new to the user's route, the nodes that cached the route have forgotten it by the time this returns. The
    /// grain reaches the connection through that node's inbox too (<see cref="INodeInbox"/>), by its id.
    /// </summary>
    Task<bool> AttachAsync(string connectionId, string deviceId, NodeRoute node, ConnectionMode mode);

    /// <summary>
    /// Refreshes the registrations of several connections of this user on one node in one call (a node refreshes
    /// per user, not per connection). Returns the connection ids this grain does not know (a new activation lost
    /// them): those attach again in full with <see cref="AttachAsync"/> and catch up from the store.
    /// </summary>
    Task<string[]> RefreshAsync(SessionRefresh[] connections);

    /// <summary>
    /// The connection closed. <paramref name="lastPresentAt"/> is when it was last known to be there (for a
    /// socket that went silent, before the idle timeout noticed).
    /// </summary>
    Task DetachAsync(string connectionId, long lastPresentAt);

    /// <summary>
    /// Pushes new inbox events to every node with a live connection of the user except <paramref name="publisher"/>
    /// (which has handed them to its own connections already), and answers the publisher with the route those nodes
    /// make (<see cref="INodeInbox.OnRouteAsync"/>, echoing <paramref name="epoch"/>), so that its next commits for
    /// this user go to them directly.
    /// </summary>
    [OneWay]
    Task PublishAsync(InboxPush[] events, NodeRoute publisher, int epoch);

    /// <summary>Closes every connection of the device (logout).</summary>
    Task RevokeDeviceAsync(string deviceId);

    /// <summary>The user did something (a user action, not a system request) at <paramref name="at"/>: last seen moves.</summary>
    [OneWay]
    Task TouchAsync(long at);

    /// <summary>
    /// Follows this user's presence from a connection of another user (or the same one) until it unwatches or
    /// stops re-watching; returns the presence now.
    /// </summary>
    Task<PresenceState> WatchAsync(string watcherId, IPresenceObserver observer);

    [OneWay]
    Task UnwatchAsync(string watcherId);

    Task<LastSeenPrivacy> GetPrivacyAsync();

    /// <summary>Stores the setting, then applies it at once to everyone watching and to the user's own connections.</summary>
    Task SetPrivacyAsync(LastSeenPrivacy privacy);

    /// <summary>
    /// The user blocked or unblocked someone (v1.1): everyone watching the user's presence looks again, so a blocked
    /// watcher sees the user offline (and an unblocked one as before) without waiting for a refresh.
    /// </summary>
    Task BlocksChangedAsync();

    /// <summary>A <c>typing</c> frame for the user's connections that count toward online (none: nobody sees it).</summary>
    [OneWay]
    Task RelayTypingAsync(byte[] frame);
}

using Orleans.Concurrency;
using Parley.Core.Presence;

namespace Parley.Grains.Users;

/// <summary>
/// A live connection, as the user grain reaches it on whichever node holds the socket. Inbox events go to its node
/// (<see cref="INodeInbox"/>), not to each connection.
/// </summary>
public interface IInboxObserver : IGrainObserver
{
    /// <summary>The connection's device was logged out: close it with 4401.</summary>
    [OneWay]
    Task OnDeviceRevokedAsync(string deviceId);

    /// <summary>A finished <c>typing</c> frame for the connection's droppable lane (never stored, never re-sent).</summary>
    [OneWay]
    Task OnTypingAsync(byte[] frame);

    /// <summary>
    /// The user's grain is deactivating and its table of connections goes with it: attach again (the call reaches
    /// the next activation) and catch up. It happens when a node that died held the grain's directory entry, even
    /// with the grain itself on a live node; when the grain's node shuts down; when Orleans moves the grain.
    /// </summary>
    [OneWay]
    Task OnRegistrationLostAsync();

    /// <summary>The user changed their privacy setting, which also decides what they see of others (reciprocity).</summary>
    [OneWay]
    Task OnPrivacyChangedAsync(LastSeenPrivacy privacy);
}

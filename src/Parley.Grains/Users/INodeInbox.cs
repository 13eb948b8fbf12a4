using Orleans.Concurrency;
using Parley.Core.Presence;

namespace Parley.Grains.Users;

/// <summary>
/// A node, as the rest of the cluster reaches it: it hands inbox events to its own connections of the users named,
/// and keeps, for the users it publishes to, which other nodes hold their connections (a route), so that a commit
/// reaches those nodes in one call per node rather than through each user's grain. It is also how a user's grain reaches
/// the connections it registered: by their node and ids (a connection is no Orleans observer of its own: one per socket
/// cost ~0.6 KB). A call for a connection the node no longer has is dropped (it closed; its registration goes too).
/// </summary>
public interface INodeInbox : IGrainObserver
{
    /// <summary>New inbox events for this node's connections of each user named, in seq order per user.</summary>
    [OneWay]
    Task OnInboxAsync(UserPushes[] pushes);

    /// <summary>
    /// The user's grain answers a publish that came through it: the other nodes with connections of
    /// <paramref name="user"/> now, at <paramref name="version"/> of its route. <paramref name="epoch"/> is the one
    /// the publish carried: a node that has since forgotten every route (a node died) ignores answers to older asks.
    /// </summary>
    [OneWay]
    Task OnRouteAsync(string user, long version, int epoch, NodeRoute[] nodes);

    /// <summary>
    /// The user's route changed at <paramref name="version"/>: forget it, and publish through the grain until it
    /// answers again. The grain waits for this answer before a connection on a node new to the route is attached, so
    /// anything committed after that connection's catch-up is published along the new route.
    /// </summary>
    Task OnRouteChangedAsync(string user, long version);

    /// <summary>The device of these connections was logged out: close them with 4401.</summary>
    [OneWay]
    Task OnDeviceRevokedAsync(string[] connectionIds, string deviceId);

    /// <summary>A finished <c>typing</c> frame for these connections' droppable lanes (never stored, never re-sent).</summary>
    [OneWay]
    Task OnTypingAsync(string[] connectionIds, byte[] frame);

    /// <summary>
    /// The user's grain is deactivating and its table of connections goes with it: these connections attach again (the
    /// call reaches the next activation) and catch up. It happens when a node that died held the grain's directory
    /// entry, even with the grain itself on a live node; when the grain's node shuts down; when Orleans moves the grain.
    /// </summary>
    [OneWay]
    Task OnRegistrationLostAsync(string[] connectionIds);

    /// <summary>The user changed their privacy setting, which also decides what they see of others (reciprocity).</summary>
    [OneWay]
    Task OnPrivacyChangedAsync(string[] connectionIds, LastSeenPrivacy privacy);
}

/// <summary>A node of the cluster: its id (new at every start) and its inbox.</summary>
[GenerateSerializer, Immutable]
public sealed record NodeRoute([property: Id(0)] string Node, [property: Id(1)] INodeInbox Inbox);

/// <summary>One user's events in a node's batch (<see cref="INodeInbox.OnInboxAsync"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record UserPushes([property: Id(0)] string User, [property: Id(1)] InboxPush[] Events);

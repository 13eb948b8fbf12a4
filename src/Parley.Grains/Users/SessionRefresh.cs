namespace Parley.Grains.Users;

/// <summary>One connection in a node's periodic refresh of a user's registrations (<see cref="IUserGrain.RefreshAsync"/>).</summary>
/// <param name="ConnectionId">The connection, as it attached.</param>
/// <param name="Mode">Its presence mode now: a <c>presence.set</c> whose own attach failed is carried by the next refresh.</param>
[GenerateSerializer, Immutable]
public sealed record SessionRefresh(
    [property: Id(0)] string ConnectionId,
    [property: Id(1)] ConnectionMode Mode);

using Parley.Core.Presence;

namespace Parley.Grains.Presence;

/// <summary>
/// A user's presence as the user's grain knows it, before any privacy is applied: the viewer's gateway
/// applies <see cref="PresenceVisibility"/>, since part of the rule is the viewer's own setting.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PresenceState(
    [property: Id(0)] bool Online,
    [property: Id(1)] long? LastSeen,
    [property: Id(2)] LastSeenPrivacy Privacy);

namespace Parley.Protocol.Client;

/// <summary>The values of <c>presence.set</c>'s <c>state</c>.</summary>
public static class PresenceStates
{
    /// <summary>The user is using the app: online while connected.</summary>
    public const string Active = "active";
    /// <summary>The app is in the background: not shown online.</summary>
    public const string Away = "away";
}

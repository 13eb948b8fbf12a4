namespace Parley.Protocol;

/// <summary>The values of <c>presence.set</c>'s <c>state</c>.</summary>
public static class PresenceStates
{
    /// <summary>The user is using the app: this socket counts toward being online.</summary>
    public const string Active = "active";
    /// <summary>The app is in the background: this socket does not make the user online.</summary>
    public const string Away = "away";

    /// <summary>Whether <paramref name="state"/> is one of the protocol's states.</summary>
    public static bool IsKnown(string state) => state is Active or Away;
}

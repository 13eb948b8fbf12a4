namespace Parley.Protocol;

/// <summary>The values of <c>privacy</c>'s <c>lastSeen</c>: who sees the user's online state and last seen.</summary>
public static class LastSeenVisibility
{
    /// <summary>Every user.</summary>
    public const string Everyone = "everyone";
    /// <summary>Users who share a conversation with the user.</summary>
    public const string Contacts = "contacts";
    /// <summary>Nobody; the user then sees nobody else's last seen either.</summary>
    public const string Nobody = "nobody";

    /// <summary>Whether <paramref name="value"/> is one of the protocol's values.</summary>
    public static bool IsKnown(string value) => value is Everyone or Contacts or Nobody;
}

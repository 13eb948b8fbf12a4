namespace Parley.Protocol.Client;

/// <summary>The values of <c>privacy</c>'s <c>lastSeen</c>: who sees the user's online state and last seen.</summary>
public static class LastSeenVisibility
{
    /// <summary>Every user.</summary>
    public const string Everyone = "everyone";
    /// <summary>Users who share a conversation with the user.</summary>
    public const string Contacts = "contacts";
    /// <summary>Nobody; the user then sees nobody else's last seen either.</summary>
    public const string Nobody = "nobody";
}

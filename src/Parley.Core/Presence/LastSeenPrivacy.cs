namespace Parley.Core.Presence;

/// <summary>
/// Who sees a user's online state and last seen. The numbers are stored: append-only.
/// </summary>
public enum LastSeenPrivacy
{
    /// <summary>Every user (the default).</summary>
    Everyone = 0,

    /// <summary>Users who share a conversation with the user.</summary>
    Contacts = 1,

    /// <summary>Nobody; the user then sees nobody else's last seen either (online states stay visible).</summary>
    Nobody = 2,
}

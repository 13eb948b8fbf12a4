namespace Parley.Core.Presence;

/// <summary>
/// The privacy rule, in one place: what a viewer may see of a user's presence. Hidden values read as
/// offline and never seen, so a viewer cannot tell "hidden" from "away".
/// </summary>
public readonly record struct PresenceVisibility(bool Online, bool LastSeen)
{
    public static readonly PresenceVisibility All = new(true, true);

    public static readonly PresenceVisibility None = new(false, false);

    /// <summary>Whether the answer depends on the viewer being a contact (so the caller need only look that up then).</summary>
    public static bool NeedsContact(LastSeenPrivacy userPrivacy) => userPrivacy == LastSeenPrivacy.Contacts;

    /// <param name="viewer">Who is looking.</param>
    /// <param name="viewerPrivacy">The viewer's own setting (reciprocity: nobody sees nobody else's last seen).</param>
    /// <param name="user">Whose presence it is.</param>
    /// <param name="userPrivacy">The user's setting.</param>
    /// <param name="isContact">Whether viewer and user share a conversation (only read for <see cref="LastSeenPrivacy.Contacts"/>).</param>
    public static PresenceVisibility For(string viewer, LastSeenPrivacy viewerPrivacy, string user, LastSeenPrivacy userPrivacy, bool isContact)
    {
        // Users always see themselves as they are.
        if (string.Equals(viewer, user, StringComparison.Ordinal)) return All;
        var shown = userPrivacy switch
        {
            LastSeenPrivacy.Everyone => true,
            LastSeenPrivacy.Contacts => isContact,
            _ => false,
        };
        if (!shown) return None;
        return new PresenceVisibility(true, viewerPrivacy != LastSeenPrivacy.Nobody);
    }
}

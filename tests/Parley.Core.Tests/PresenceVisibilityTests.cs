using Parley.Core.Presence;

namespace Parley.Core.Tests;

public class PresenceVisibilityTests
{
    private static PresenceVisibility See(LastSeenPrivacy viewer, LastSeenPrivacy user, bool contact = false) =>
        PresenceVisibility.For("viewer", viewer, "user", user, contact);

    [Fact]
    public void Everyone_shows_online_and_last_seen() =>
        Assert.Equal(PresenceVisibility.All, See(LastSeenPrivacy.Everyone, LastSeenPrivacy.Everyone));

    [Fact]
    public void Contacts_shows_them_only_to_users_who_share_a_conversation()
    {
        Assert.Equal(PresenceVisibility.All, See(LastSeenPrivacy.Everyone, LastSeenPrivacy.Contacts, contact: true));
        Assert.Equal(PresenceVisibility.None, See(LastSeenPrivacy.Everyone, LastSeenPrivacy.Contacts, contact: false));
    }

    [Fact]
    public void Nobody_hides_both_from_everyone() =>
        Assert.Equal(PresenceVisibility.None, See(LastSeenPrivacy.Everyone, LastSeenPrivacy.Nobody, contact: true));

    [Fact]
    public void A_viewer_who_hides_their_last_seen_sees_nobody_elses_but_still_sees_online()
    {
        Assert.Equal(new PresenceVisibility(true, false), See(LastSeenPrivacy.Nobody, LastSeenPrivacy.Everyone));
        Assert.Equal(new PresenceVisibility(true, false), See(LastSeenPrivacy.Nobody, LastSeenPrivacy.Contacts, contact: true));
        Assert.Equal(new PresenceVisibility(true, true), See(LastSeenPrivacy.Contacts, LastSeenPrivacy.Everyone));
    }

    [Fact]
    public void Users_always_see_themselves() =>
        Assert.Equal(PresenceVisibility.All, PresenceVisibility.For("me", LastSeenPrivacy.Nobody, "me", LastSeenPrivacy.Nobody, false));

    [Fact]
    public void Only_the_contacts_setting_needs_a_contact_lookup()
    {
        Assert.True(PresenceVisibility.NeedsContact(LastSeenPrivacy.Contacts));
        Assert.False(PresenceVisibility.NeedsContact(LastSeenPrivacy.Everyone));
        Assert.False(PresenceVisibility.NeedsContact(LastSeenPrivacy.Nobody));
    }
}

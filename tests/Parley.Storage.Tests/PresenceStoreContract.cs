using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Tests;

/// <summary>What every store must do for presence: last seen, the privacy setting, contacts.</summary>
public abstract class PresenceStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private long _clock = 1_800_000_000_000;

    protected abstract Task<(IUserStore Users, IMessageStore Messages, IGroupStore Groups, IPresenceStore Presence)> OpenAsync();

    protected abstract Task CloseAsync();

    private IUserStore Users { get; set; } = null!;
    private IMessageStore Messages { get; set; } = null!;
    private IGroupStore Groups { get; set; } = null!;
    private IPresenceStore Presence { get; set; } = null!;

    public async Task InitializeAsync() => (Users, Messages, Groups, Presence) = await OpenAsync();

    public async Task DisposeAsync() => await CloseAsync();

    private long Now() => Interlocked.Increment(ref _clock);

    private async Task UsersAsync(params string[] names)
    {
        foreach (var name in names) Assert.True(await Users.CreateUserAsync(new NewUser(name, name, "hash", Now()), default));
    }

    [Fact]
    public async Task A_new_user_is_visible_to_everyone_and_never_seen()
    {
        await UsersAsync("alice");
        Assert.Equal(new PresenceRecord(LastSeenPrivacy.Everyone, null), await Presence.GetPresenceAsync(new Username("alice"), default));
        Assert.Equal(PresenceRecord.Unknown, await Presence.GetPresenceAsync(new Username("nobody_here"), default));
    }

    [Fact]
    public async Task Last_seen_only_moves_forward()
    {
        await UsersAsync("alice");
        await Presence.SaveLastSeenAsync(new Username("alice"), 2_000, default).WaitAsync(Timeout);
        await Presence.SaveLastSeenAsync(new Username("alice"), 1_000, default).WaitAsync(Timeout);
        Assert.Equal(2_000, (await Presence.GetPresenceAsync(new Username("alice"), default)).LastSeen);
        await Presence.SaveLastSeenAsync(new Username("alice"), 3_000, default).WaitAsync(Timeout);
        Assert.Equal(3_000, (await Presence.GetPresenceAsync(new Username("alice"), default)).LastSeen);
    }

    [Fact]
    public async Task The_privacy_setting_is_kept()
    {
        await UsersAsync("alice");
        foreach (var privacy in new[] { LastSeenPrivacy.Nobody, LastSeenPrivacy.Contacts, LastSeenPrivacy.Everyone, LastSeenPrivacy.Contacts })
        {
            await Presence.SetLastSeenPrivacyAsync(new Username("alice"), privacy, default).WaitAsync(Timeout);
            Assert.Equal(privacy, (await Presence.GetPresenceAsync(new Username("alice"), default)).Privacy);
        }
    }

    [Fact]
    public async Task Contacts_are_users_who_share_a_direct_conversation_or_a_group()
    {
        await UsersAsync("alice", "bob", "carol", "dave");
        Assert.False(await Presence.ShareConversationAsync(new Username("alice"), new Username("bob"), default));

        var pending = await Messages.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), "d:alice:bob", "alice", ["alice", "bob"], "c1",
            "text", Encoding.UTF8.GetBytes("\"hi\""), Now(), null), default);
        Assert.Equal(AppendStatus.Stored, (await pending.WaitAsync(Timeout)).Status);
        Assert.True(await Presence.ShareConversationAsync(new Username("alice"), new Username("bob"), default));
        Assert.True(await Presence.ShareConversationAsync(new Username("bob"), new Username("alice"), default));

        var group = await Groups.CreateGroupAsync(ConversationId.Parse("g:0123456789abcdef"), new Username("carol"), "g", ["dave"], 10, Now(), default).WaitAsync(Timeout);
        Assert.Equal(Core.Groups.GroupStatus.Ok, group.Status);
        Assert.True(await Presence.ShareConversationAsync(new Username("dave"), new Username("carol"), default));
        Assert.False(await Presence.ShareConversationAsync(new Username("alice"), new Username("carol"), default));

        await Groups.LeaveAsync(ConversationId.Parse("g:0123456789abcdef"), new Username("dave"), Now(), default).WaitAsync(Timeout);
        Assert.False(await Presence.ShareConversationAsync(new Username("dave"), new Username("carol"), default));
    }
}

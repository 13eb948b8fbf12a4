using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage.Relational;

namespace Parley.Storage.Tests;

/// <summary>
/// The store's part of the security limits (issue 17): contacts made only by writing, devices within a cap, rehashing,
/// the unused-upload bytes of a user, whether a conversation has messages, and no receipts for what is deleted.
/// </summary>
public abstract class SecurityStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private long _clock = 1_800_000_000_000;

    protected abstract Task<RelationalStore> OpenAsync();

    protected abstract Task CloseAsync();

    private RelationalStore Store { get; set; } = null!;

    public async Task InitializeAsync() => Store = await OpenAsync();

    public async Task DisposeAsync() => await CloseAsync();

    private long Now() => Interlocked.Increment(ref _clock);

    private async Task UsersAsync(params string[] names)
    {
        foreach (var name in names) Assert.True(await Store.CreateUserAsync(new NewUser(name, name, "hash-" + name, Now()), default));
    }

    private async Task<AppendResult> SendAsync(string from, string to, string? mediaId = null)
    {
        var conv = ConversationId.Direct(from, to);
        var message = new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, from, [from, to], Guid.NewGuid().ToString("N"),
            mediaId is null ? "text" : "file", Encoding.UTF8.GetBytes("\"hi\""), Now(), null, mediaId);
        return await (await Store.EnqueueAppendAsync(message, default)).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Only_the_users_own_recording_makes_a_contact_and_only_one_way()
    {
        await UsersAsync("alice", "bob");
        // Bob writing to alice makes nothing by itself: contacts are recorded for the writer by the gateway.
        Assert.Equal(AppendStatus.Stored, (await SendAsync("bob", "alice")).Status);
        Assert.False(await Store.IsContactAsync(new Username("alice"), new Username("bob"), default));

        await Store.RecordContactAsync(new Username("alice"), new Username("bob"), Now(), default).WaitAsync(Timeout);
        await Store.RecordContactAsync(new Username("alice"), new Username("bob"), Now(), default).WaitAsync(Timeout);
        Assert.True(await Store.IsContactAsync(new Username("alice"), new Username("bob"), default));
        Assert.False(await Store.IsContactAsync(new Username("bob"), new Username("alice"), default));
    }

    [Fact]
    public async Task A_device_past_the_cap_revokes_the_oldest_live_ones()
    {
        await UsersAsync("carol");
        var expires = long.MaxValue;
        Assert.Empty(await Store.CreateDeviceWithinCapAsync(new NewDevice("d1", "carol", "one", [1], Now(), expires), 2, default));
        Assert.Empty(await Store.CreateDeviceWithinCapAsync(new NewDevice("d2", "carol", "two", [2], Now(), expires), 2, default));
        Assert.Equal(["d1"], await Store.CreateDeviceWithinCapAsync(new NewDevice("d3", "carol", "three", [3], Now(), expires), 2, default));
        Assert.Null(await Store.FindDeviceAsync([1], Now(), default));
        Assert.NotNull(await Store.FindDeviceAsync([2], Now(), default));
        Assert.NotNull(await Store.FindDeviceAsync([3], Now(), default));
    }

    [Fact]
    public async Task A_rehash_replaces_only_the_hash_that_was_verified()
    {
        await UsersAsync("dave");
        Assert.False(await Store.RehashPasswordAsync(new Username("dave"), "some-other-hash", "new", default));
        Assert.True(await Store.RehashPasswordAsync(new Username("dave"), "hash-dave", "new", default));
        Assert.Equal("new", (await Store.GetCredentialsAsync(new Username("dave"), default))!.PasswordHash);
    }

    [Fact]
    public async Task A_conversation_has_messages_once_one_is_sent()
    {
        await UsersAsync("erin", "frank");
        var conv = ConversationId.Direct("erin", "frank");
        Assert.False(await Store.HasMessagesAsync(conv, default));
        await SendAsync("erin", "frank");
        Assert.True(await Store.HasMessagesAsync(conv, default));
    }

    [Fact]
    public async Task Unused_upload_bytes_count_a_users_uploads_until_a_message_uses_them()
    {
        await UsersAsync("gina", "hank");
        var id = new string('a', 64);
        await Store.AddMediaAsync(new StoredMedia(new MediaInfo(id, "application/pdf", 5000, null, null, null, false), "blob-a", Now()), new Username("gina"), Now(), default);
        var other = new string('b', 64);
        await Store.AddMediaAsync(new StoredMedia(new MediaInfo(other, "application/pdf", 700, null, null, null, false), "blob-b", Now()), new Username("hank"), Now(), default);
        Assert.Equal(5000, await Store.GetUnusedUploadBytesAsync(new Username("gina"), default));

        Assert.Equal(AppendStatus.Stored, (await SendAsync("gina", "hank", id)).Status);
        Assert.Equal(0, await Store.GetUnusedUploadBytesAsync(new Username("gina"), default));
        Assert.Equal(700, await Store.GetUnusedUploadBytesAsync(new Username("hank"), default));
    }

    [Fact]
    public async Task A_deleted_message_has_no_receipts()
    {
        await UsersAsync("ivan", "judy");
        var sent = await SendAsync("ivan", "judy");
        var conv = ConversationId.Direct("ivan", "judy");
        Assert.Equal(GroupStatus.Ok, (await Store.GetReceiptsAsync(conv, sent.Message!.N, new Username("ivan"), default)).Status);
        Assert.Equal(Core.Messages.ChangeStatus.Ok, (await Store.DeleteMessageAsync(conv, new Username("ivan"), sent.Message.N, Now(), default)).Status);
        Assert.NotEqual(GroupStatus.Ok, (await Store.GetReceiptsAsync(conv, sent.Message.N, new Username("ivan"), default)).Status);
    }
}

using System.Text;
using Parley.Core.Conversations;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Tests;

/// <summary>
/// What every media catalog must do: content-addressed rows, uploaders, who may see a media, sends that reference
/// it, and the sweep of media no live message uses. Each database's test class derives from this.
/// </summary>
public abstract class MediaCatalogContract : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const long Day = 24 * 60 * 60 * 1000;
    private long _clock = 1_800_000_000_000;

    private IUserStore _users = null!;
    private IMessageStore _messages = null!;
    private IMediaCatalog _media = null!;

    /// <summary>Opens the store on a fresh database of the test's own.</summary>
    protected abstract Task<(IUserStore Users, IMessageStore Messages, IMediaCatalog Media)> OpenAsync();

    protected abstract Task CloseAsync();

    public async Task InitializeAsync()
    {
        (_users, _messages, _media) = await OpenAsync();
        foreach (var name in (string[])["alice", "bob", "carol"]) Assert.True(await _users.CreateUserAsync(new NewUser(name, name, "hash", Now()), default));
    }

    public async Task DisposeAsync() => await CloseAsync();

    private long Now() => Interlocked.Increment(ref _clock);

    private static string Id(char c) => new(c, 64);

    private static StoredMedia Media(string id, string blob = "blob-a", long createdAt = 1) =>
        new(new MediaInfo(id, "image/png", 1234, 640, 480, null, true), blob, createdAt);

    private async Task<AppendResult> SendAsync(string from, string to, string? mediaId, long? ttlSeconds = null, string cid = "")
    {
        var conv = Core.Conversations.ConversationId.Direct(from, to);
        var message = new NewMessage(Guid.NewGuid().ToString("N"), conv.Value, from, [from, to], cid.Length > 0 ? cid : Guid.NewGuid().ToString("N"),
            "image", Encoding.UTF8.GetBytes("\"x\""), Now(), ttlSeconds, mediaId);
        return await (await _messages.EnqueueAppendAsync(message, default)).WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_new_media_is_visible_to_its_uploader_only()
    {
        var stored = await _media.AddMediaAsync(Media(Id('a')), new Username("alice"), Now(), default);
        Assert.Equal(Media(Id('a')).Info, stored.Info);
        Assert.Equal("blob-a", stored.Blob);
        Assert.Equal(stored, await _media.GetVisibleMediaAsync(Id('a'), new Username("alice"), Now(), default));
        Assert.Null(await _media.GetVisibleMediaAsync(Id('a'), new Username("bob"), Now(), default));
        Assert.Null(await _media.GetVisibleMediaAsync(Id('b'), new Username("alice"), Now(), default));
    }

    [Fact]
    public async Task The_same_bytes_recorded_twice_keep_the_first_files_and_both_uploaders()
    {
        await _media.AddMediaAsync(Media(Id('a'), "first"), new Username("alice"), Now(), default);
        var second = await _media.AddMediaAsync(Media(Id('a'), "second"), new Username("bob"), Now(), default);
        Assert.Equal("first", second.Blob);
        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("bob"), Now(), default));

        Assert.Null(await _media.TryAddUploaderAsync(Id('c'), new Username("carol"), Now(), default));
        Assert.Equal("first", (await _media.TryAddUploaderAsync(Id('a'), new Username("carol"), Now(), default))?.Blob);
        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("carol"), Now(), default));
    }

    [Fact]
    public async Task A_message_shows_its_media_to_the_conversation_until_it_expires()
    {
        await _media.AddMediaAsync(Media(Id('a')), new Username("alice"), Now(), default);
        var sent = await SendAsync("alice", "bob", Id('a'), ttlSeconds: 1);
        Assert.Equal(AppendStatus.Stored, sent.Status);
        var expiresAt = sent.Message!.ExpiresAt!.Value;
        Assert.Equal(Media(Id('a')).Info, sent.Message!.Media);

        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("bob"), expiresAt - 1, default));
        Assert.Null(await _media.GetVisibleMediaAsync(Id('a'), new Username("bob"), expiresAt, default));
        Assert.Null(await _media.GetVisibleMediaAsync(Id('a'), new Username("carol"), expiresAt - 1, default));
        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("alice"), expiresAt + 1, default));

        // The media travels with the message: in the inbox and in history.
        var inbox = await _messages.ReadInboxAsync(new Username("bob"), 0, 10, default);
        Assert.Equal(Media(Id('a')).Info, Assert.Single(inbox).Message!.Media);
        var history = await _messages.GetHistoryAsync(ConversationId.Parse(sent.Message.Conv), new Username("bob"), 0, null, 10, default);
        Assert.Equal(Media(Id('a')).Info, Assert.Single(history).Media);
        // A repeated cid answers with the first message, media included.
        var again = await SendAsync("alice", "bob", Id('a'), cid: sent.Message.Cid);
        Assert.Equal((AppendStatus.Duplicate, Media(Id('a')).Info), (again.Status, again.Message!.Media));
    }

    [Fact]
    public async Task Media_one_may_not_see_cannot_be_sent_and_the_refusal_takes_no_position()
    {
        await _media.AddMediaAsync(Media(Id('a')), new Username("alice"), Now(), default);
        Assert.Equal(AppendStatus.MediaNotFound, (await SendAsync("bob", "carol", Id('a'))).Status);
        Assert.Equal(AppendStatus.MediaNotFound, (await SendAsync("bob", "carol", Id('f'))).Status);

        // Once Alice sends it to Bob, Bob may forward it; Carol then sees it through her own conversation.
        Assert.Equal(AppendStatus.Stored, (await SendAsync("alice", "bob", Id('a'))).Status);
        var forwarded = await SendAsync("bob", "carol", Id('a'));
        Assert.Equal((AppendStatus.Stored, 1L), (forwarded.Status, forwarded.Message!.N));
        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("carol"), Now(), default));
    }

    [Fact]
    public async Task The_sweep_finds_media_no_live_message_uses_and_deletes_only_what_was_not_used_since()
    {
        var start = Now();
        await _media.AddMediaAsync(Media(Id('a'), "orphan"), new Username("alice"), start, default);
        await _media.AddMediaAsync(Media(Id('b'), "live"), new Username("alice"), start, default);
        await _media.AddMediaAsync(Media(Id('c'), "expired"), new Username("alice"), start, default);
        _clock = start + 10;
        Assert.Equal(AppendStatus.Stored, (await SendAsync("alice", "bob", Id('b'))).Status);
        Assert.Equal(AppendStatus.Stored, (await SendAsync("alice", "bob", Id('c'), ttlSeconds: 1)).Status);

        // Before a day has passed, only the media whose one message expired may go.
        var soon = start + 2000;
        var found = await _media.FindSweepableMediaAsync(soon, soon - Day, 10, default);
        Assert.Equal(["expired"], found.Select(c => c.Blob));

        // A day on, the upload nobody used may go too; the media of the permanent message never.
        var later = start + Day + 1000;
        found = await _media.FindSweepableMediaAsync(later, later - Day, 10, default);
        Assert.Equal(["expired", "orphan"], found.Select(c => c.Blob).Order(StringComparer.Ordinal));

        // Someone uploads the orphan again after it was found: the sweep must leave it.
        var orphan = found.Single(c => c.Blob == "orphan");
        Assert.NotNull(await _media.TryAddUploaderAsync(Id('a'), new Username("bob"), later, default));
        Assert.False(await _media.DeleteMediaIfSweepableAsync(orphan, later, later - Day, default));
        Assert.NotNull(await _media.GetVisibleMediaAsync(Id('a'), new Username("bob"), later, default));

        var expired = found.Single(c => c.Blob == "expired");
        Assert.True(await _media.DeleteMediaIfSweepableAsync(expired, later, later - Day, default));
        Assert.Null(await _media.GetVisibleMediaAsync(Id('c'), new Username("alice"), later, default));
        Assert.Null(await _media.TryAddUploaderAsync(Id('c'), new Username("alice"), later, default));
        Assert.False(await _media.DeleteMediaIfSweepableAsync(expired, later, later - Day, default));
        Assert.Empty(await _media.FindSweepableMediaAsync(later, later - Day, 10, default));
    }
}

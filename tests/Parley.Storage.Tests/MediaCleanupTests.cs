using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage.LocalFiles;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

/// <summary>The media sweep end to end on a real store and directory: rows and files go together, and only those.</summary>
public sealed class MediaCleanupTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-cleanup-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000));
    private SqliteStore _store = null!;
    private LocalMediaStore _files = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        _files = new LocalMediaStore(Path.Combine(_dir, "media"), _time);
        foreach (var name in (string[])["alice", "bob"]) await _store.CreateUserAsync(new NewUser(name, name, "hash", Now()), default);
    }

    public async Task DisposeAsync()
    {
        await _store.StopAsync(default);
        Directory.Delete(_dir, recursive: true);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<StoredMedia> UploadAsync(char fill)
    {
        var id = new string(fill, 64);
        await using var staging = await _files.StageAsync(default);
        await File.WriteAllTextAsync(staging.FilePath, id);
        await File.WriteAllTextAsync(staging.ThumbnailPath, "thumbnail");
        var blob = await _files.CommitAsync(staging, id, default);
        return await _store.AddMediaAsync(new StoredMedia(new MediaInfo(id, "image/png", 64, 1, 1, null, true), blob, Now()), new Username("alice"), Now(), default);
    }

    private async Task SendAsync(string mediaId, long? ttlSeconds)
    {
        var message = new NewMessage(Guid.NewGuid().ToString("N"), "d:alice:bob", "alice", ["alice", "bob"], Guid.NewGuid().ToString("N"), "image",
            Encoding.UTF8.GetBytes("\"x\""), Now(), ttlSeconds, mediaId);
        Assert.Equal(AppendStatus.Stored, (await await _store.EnqueueAppendAsync(message, default)).Status);
    }

    private async Task<bool> HasFileAsync(StoredMedia media)
    {
        await using var stream = await _files.OpenReadAsync(media.Blob, MediaVariant.Original, default);
        return stream is not null;
    }

    [Fact]
    public async Task Expired_and_orphaned_media_lose_their_rows_and_files_and_media_in_use_keeps_them()
    {
        var cleanup = new MediaCleanup(_store, _files, _time, TimeSpan.FromDays(1), NullLogger<MediaCleanup>.Instance);
        var (orphan, kept, expiring) = (await UploadAsync('a'), await UploadAsync('b'), await UploadAsync('c'));
        await SendAsync(kept.Info.Id, null);
        await SendAsync(expiring.Info.Id, 5);

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await cleanup.SweepAsync(100, default));
        Assert.False(await HasFileAsync(expiring));
        Assert.Null(await _store.GetVisibleMediaAsync(expiring.Info.Id, new Username("alice"), Now(), default));
        Assert.True(await HasFileAsync(orphan));

        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, await cleanup.SweepAsync(100, default));
        Assert.False(await HasFileAsync(orphan));
        Assert.True(await HasFileAsync(kept));
        Assert.NotNull(await _store.GetVisibleMediaAsync(kept.Info.Id, new Username("bob"), Now(), default));
        Assert.Equal(0, await cleanup.SweepAsync(100, default));
    }
}

using Microsoft.Extensions.Time.Testing;
using Parley.Core.Media;
using Parley.Storage.LocalFiles;

namespace Parley.Storage.Tests;

/// <summary>The media directory: atomic commits under blob names of their own, reads, deletes, and stale staging.</summary>
public sealed class LocalMediaStoreTests : IDisposable
{
    private static readonly string MediaId = new('a', 64);
    private readonly string _root = Directory.CreateTempSubdirectory("parley-files-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_committed_upload_is_read_back_under_its_own_blob_and_its_staging_is_gone()
    {
        var store = new LocalMediaStore(_root, _time);
        var (first, second) = (await StageAsync(store, "one"), await StageAsync(store, "two"));
        var blobs = new[] { await store.CommitAsync(first, MediaId, default), await store.CommitAsync(second, MediaId, default) };
        await first.DisposeAsync();
        await second.DisposeAsync();

        // Two commits of one media never share files: one may be deleted while the other is kept.
        Assert.NotEqual(blobs[0], blobs[1]);
        Assert.All(blobs, b => Assert.StartsWith(MediaId + "-", b, StringComparison.Ordinal));
        Assert.Equal("one", await ReadAsync(store, blobs[0], MediaVariant.Original));
        Assert.Equal("one-thumb", await ReadAsync(store, blobs[0], MediaVariant.Thumbnail));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".staging")));

        await store.DeleteAsync(blobs[0], default);
        Assert.Null(await store.OpenReadAsync(blobs[0], MediaVariant.Original, default));
        Assert.Equal("two", await ReadAsync(store, blobs[1], MediaVariant.Original));
        await store.DeleteAsync(blobs[0], default);
    }

    [Fact]
    public async Task Names_that_are_not_blobs_are_never_opened()
    {
        var store = new LocalMediaStore(_root, _time);
        Assert.Null(await store.OpenReadAsync("../../etc/passwd", MediaVariant.Original, default));
        Assert.Null(await store.OpenReadAsync(MediaId, MediaVariant.Original, default));
    }

    [Fact]
    public async Task Only_staging_files_older_than_the_age_are_removed()
    {
        var store = new LocalMediaStore(_root, _time);
        var old = await StageAsync(store, "old");
        File.SetLastWriteTimeUtc(old.FilePath, _time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(2));
        File.SetLastWriteTimeUtc(old.ThumbnailPath, _time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(2));
        var fresh = await StageAsync(store, "fresh");
        Assert.Equal(2, await store.DeleteStaleStagingAsync(TimeSpan.FromDays(1), default));
        Assert.False(File.Exists(old.FilePath));
        Assert.True(File.Exists(fresh.FilePath));
    }

    private static async Task<MediaStaging> StageAsync(LocalMediaStore store, string content)
    {
        var staging = await store.StageAsync(default);
        await File.WriteAllTextAsync(staging.FilePath, content);
        await File.WriteAllTextAsync(staging.ThumbnailPath, content + "-thumb");
        return staging;
    }

    private static async Task<string> ReadAsync(LocalMediaStore store, string blob, MediaVariant variant)
    {
        await using var stream = await store.OpenReadAsync(blob, variant, default) ?? throw new FileNotFoundException(blob);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

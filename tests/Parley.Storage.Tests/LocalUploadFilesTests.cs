using Microsoft.Extensions.Time.Testing;
using Parley.Storage.LocalFiles;

namespace Parley.Storage.Tests;

/// <summary>
/// Resumable uploads in files: records that outlive the process, one writer at a time across processes (two
/// instances on one directory stand for two nodes), and the sweep that keeps an upload until its expiry.
/// </summary>
public sealed class LocalUploadFilesTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly string _root = Directory.CreateTempSubdirectory("parley-uploads-").FullName;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_upload_and_its_bytes_are_found_by_another_instance_on_the_same_directory()
    {
        var created = await new LocalUploadFiles(_root, _time).CreateAsync("alice", "video/mp4", 1000, "filetype dmlkZW8vbXA0", default);
        Assert.True(Core.Media.ResumableUpload.IsValidId(created.Id));

        var node = new LocalUploadFiles(_root, _time);
        var (lease, busy) = await node.LockAsync(created.Id, Wait, default);
        Assert.False(busy);
        await using (lease!)
        {
            await using var file = lease!.OpenAppend();
            await file.WriteAsync(new byte[300]);
        }
        var found = await new LocalUploadFiles(_root, _time).FindAsync(created.Id, default);
        Assert.Equal(created, found!.Upload);
        Assert.Equal(300, found.Offset);
        Assert.False(found.IsComplete);
    }

    [Fact]
    public async Task Only_one_request_holds_an_upload_and_a_waiter_gets_it_when_the_holder_lets_go()
    {
        var (one, two) = (new LocalUploadFiles(_root, _time), new LocalUploadFiles(_root, _time));
        var upload = await one.CreateAsync("alice", "image/png", 10, null, default);
        var (held, _) = await one.LockAsync(upload.Id, Wait, default);
        Assert.NotNull(held);

        var (none, busy) = await two.LockAsync(upload.Id, TimeSpan.Zero, default);
        Assert.Null(none);
        Assert.True(busy);

        var waiter = two.LockAsync(upload.Id, Wait, default).AsTask();
        Assert.False(waiter.IsCompleted);
        await held!.DisposeAsync();
        var (taken, _) = await waiter.WaitAsync(Wait);
        Assert.NotNull(taken);
        await taken!.DisposeAsync();
    }

    [Fact]
    public async Task A_request_waiting_for_an_upload_that_its_holder_deletes_finds_it_gone()
    {
        var files = new LocalUploadFiles(_root, _time);
        var upload = await files.CreateAsync("alice", "image/png", 10, null, default);
        var (held, _) = await files.LockAsync(upload.Id, Wait, default);
        var waiter = files.LockAsync(upload.Id, Wait, default).AsTask();
        await held!.DeleteAsync(default);
        await held.DisposeAsync();

        var (lease, busy) = await waiter.WaitAsync(Wait);
        Assert.Null(lease);
        Assert.False(busy);
        Assert.Null(await files.FindAsync(upload.Id, default));
        Assert.Empty(Directory.GetFiles(files.UploadsDirectory));
    }

    [Fact]
    public async Task An_upload_is_kept_until_its_expiry_counted_from_its_last_patch()
    {
        var files = new LocalUploadFiles(_root, _time);
        var expiry = TimeSpan.FromHours(24);
        var upload = await files.CreateAsync("alice", "image/png", 10, null, default);
        _time.Advance(TimeSpan.FromHours(20));
        var (lease, _) = await files.LockAsync(upload.Id, Wait, default);
        await using (lease!) lease!.Touch();

        // 30 hours after creation, but only 10 after the last PATCH: kept.
        _time.Advance(TimeSpan.FromHours(10));
        Assert.Equal(0, await files.SweepAsync(_time.GetUtcNow() - expiry, default));
        Assert.NotNull(await files.FindAsync(upload.Id, default));

        _time.Advance(TimeSpan.FromHours(14) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await files.SweepAsync(_time.GetUtcNow() - expiry, default));
        Assert.Null(await files.FindAsync(upload.Id, default));
        Assert.Empty(Directory.GetFiles(files.UploadsDirectory));
    }

    [Fact]
    public async Task A_finished_upload_is_kept_for_its_expiry_after_it_finished_and_one_being_written_is_not_swept()
    {
        var files = new LocalUploadFiles(_root, _time);
        var finished = await files.CreateAsync("alice", "image/png", 10, null, default);
        var writing = await files.CreateAsync("alice", "image/png", 10, null, default);
        var (lease, _) = await files.LockAsync(finished.Id, Wait, default);
        await using (lease!)
        {
            await using (var file = lease!.OpenAppend()) await file.WriteAsync(new byte[10]);
            await lease.FinishAsync(new string('b', 64), default);
        }
        var state = await files.FindAsync(finished.Id, default);
        Assert.Equal((10L, new string('b', 64)), (state!.Offset, state.Upload.MediaId));
        Assert.False(File.Exists(Path.Combine(files.UploadsDirectory, finished.Id + ".part")));

        _time.Advance(TimeSpan.FromDays(2));
        var (held, _) = await files.LockAsync(writing.Id, Wait, default);
        await using (held!)
        {
            Assert.Equal(1, await files.SweepAsync(_time.GetUtcNow() - TimeSpan.FromDays(1), default));
        }
        Assert.Null(await files.FindAsync(finished.Id, default));
        Assert.NotNull(await files.FindAsync(writing.Id, default));
    }

    [Fact]
    public async Task Files_a_dead_creation_left_without_a_record_are_swept_after_the_expiry()
    {
        var files = new LocalUploadFiles(_root, _time);
        var orphan = Path.Combine(files.UploadsDirectory, new string('c', 32) + ".part");
        await File.WriteAllBytesAsync(orphan, new byte[5]);
        File.SetLastWriteTimeUtc(orphan, _time.GetUtcNow().UtcDateTime);
        Assert.Equal(0, await files.SweepAsync(_time.GetUtcNow() - TimeSpan.FromDays(1), default));
        Assert.True(File.Exists(orphan));
        _time.Advance(TimeSpan.FromDays(2));
        await files.SweepAsync(_time.GetUtcNow() - TimeSpan.FromDays(1), default);
        Assert.False(File.Exists(orphan));
    }

    [Fact]
    public async Task Ids_that_are_not_upload_ids_name_no_file()
    {
        var files = new LocalUploadFiles(_root, _time);
        Assert.Null(await files.FindAsync("../../../etc/passwd", default));
        var (lease, busy) = await files.LockAsync("../x", Wait, default);
        Assert.Null(lease);
        Assert.False(busy);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}

using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Server.Gateway.Presence;
using Parley.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Server.Tests;

/// <summary>
/// The contact a direct message makes, against a real SQLite store: a client's window of first messages to someone
/// arrives before the first write commits, and the pair is still written once.
/// </summary>
public sealed class ContactRecorderTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-contacts-").FullName;
    private SqliteStore _store = null!;
    private CountingPresenceStore _counted = null!;
    private ContactRecorder _recorder = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        _counted = new CountingPresenceStore(_store);
        _recorder = new ContactRecorder(_counted, TimeProvider.System, NullLogger<ContactRecorder>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _store.StopAsync(default);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sixteen_sends_at_once_to_a_new_contact_write_the_contact_once()
    {
        var sends = Enumerable.Range(0, 16).Select(_ => _recorder.RecordAsync("alice", "bob", default)).ToArray();
        await Task.WhenAll(sends).WaitAsync(Timeout);

        Assert.Equal(1, _counted.Records);
        Assert.True(await _store.IsContactAsync(new Username("alice"), new Username("bob"), default));
        // Remembered once stored: the next message writes nothing; another pair is its own write.
        await _recorder.RecordAsync("alice", "bob", default).WaitAsync(Timeout);
        await _recorder.RecordAsync("alice", "carol", default).WaitAsync(Timeout);
        Assert.Equal(2, _counted.Records);
    }

    [Fact]
    public async Task A_failed_write_completes_its_waiters_and_the_next_message_records_the_contact_again()
    {
        var failure = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _counted.NextWrite = failure.Task;
        var sends = Enumerable.Range(0, 4).Select(_ => _recorder.RecordAsync("dave", "erin", default)).ToArray();
        failure.SetException(new IOException("the database is gone"));
        await Task.WhenAll(sends).WaitAsync(Timeout);
        Assert.Equal(1, _counted.Records);
        Assert.False(await _store.IsContactAsync(new Username("dave"), new Username("erin"), default));

        await _recorder.RecordAsync("dave", "erin", default).WaitAsync(Timeout);
        Assert.Equal(2, _counted.Records);
        Assert.True(await _store.IsContactAsync(new Username("dave"), new Username("erin"), default));
    }

    /// <summary>The real store, with its contact writes counted (and one replaced on request: a write the test fails).</summary>
    private sealed class CountingPresenceStore(IPresenceStore store) : IPresenceStore
    {
        private int _records;

        public int Records => Volatile.Read(ref _records);

        public Task? NextWrite { get; set; }

        public Task RecordContactAsync(Username user, Username contact, long now, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _records);
            var instead = NextWrite;
            NextWrite = null;
            return instead ?? store.RecordContactAsync(user, contact, now, cancellationToken);
        }

        public Task<PresenceRecord> GetPresenceAsync(Username user, CancellationToken cancellationToken) => store.GetPresenceAsync(user, cancellationToken);

        public Task SaveLastSeenAsync(Username user, long lastSeen, CancellationToken cancellationToken) => store.SaveLastSeenAsync(user, lastSeen, cancellationToken);

        public Task SetLastSeenPrivacyAsync(Username user, LastSeenPrivacy privacy, CancellationToken cancellationToken) =>
            store.SetLastSeenPrivacyAsync(user, privacy, cancellationToken);

        public Task<bool> IsContactAsync(Username user, Username viewer, CancellationToken cancellationToken) => store.IsContactAsync(user, viewer, cancellationToken);

        public Task<bool> ShareConversationAsync(Username user, Username other, CancellationToken cancellationToken) =>
            store.ShareConversationAsync(user, other, cancellationToken);
    }
}

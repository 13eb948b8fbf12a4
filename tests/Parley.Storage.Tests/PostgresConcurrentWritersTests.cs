using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage.Postgres;
using Parley.Testing;

namespace Parley.Storage.Tests;

/// <summary>
/// Two stores on one PostgreSQL database, as two cluster nodes are: their writers lock the same rows at once. Every
/// write must succeed (no deadlock reaches a caller), n and seq must stay gap-free, and a lost connection must cost
/// nothing but a retry.
/// </summary>
public sealed class PostgresConcurrentWritersTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int UserCount = 8;
    private string _connectionString = null!;
    private PostgresStore _a = null!;
    private PostgresStore _b = null!;
    private long _clock = 1_800_000_000_000;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _a = await StartStoreAsync();
        _b = await StartStoreAsync();
        for (var i = 0; i < UserCount; i++) Assert.True(await _a.CreateUserAsync(new NewUser(User(i), User(i), "hash", Now()), default));
        for (var i = 0; i < UserCount; i++) await _a.CreateDeviceAsync(new NewDevice(User(i), User(i), "phone", [(byte)i], Now(), long.MaxValue), default);
    }

    public async Task DisposeAsync()
    {
        await _a.StopAsync(default);
        await _b.StopAsync(default);
    }

    private async Task<PostgresStore> StartStoreAsync()
    {
        var store = new PostgresStore(Options.Create(new StorageOptions { Provider = "postgres", Postgres = _connectionString }), NullLogger<PostgresStore>.Instance);
        await store.StartAsync(default);
        return store;
    }

    private static string User(int i) => "u" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    private long Now() => Interlocked.Increment(ref _clock);

    private Task<Task<AppendResult>> AppendAsync(PostgresStore store, string from, string to, string cid)
    {
        var conv = Core.Conversations.ConversationId.Direct(from, to).Value;
        return store.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), conv, from, [from, to], cid, "text",
            Encoding.UTF8.GetBytes($"\"{cid}\""), Now(), null), default).AsTask();
    }

    [Fact]
    public async Task Two_nodes_sending_and_acking_across_the_same_users_never_fail_and_keep_n_and_seq_gap_free()
    {
        var random = new Random(15);
        var appends = new List<Task<AppendResult>>();
        var acks = new List<Task>();
        for (var round = 0; round < 100; round++)
        {
            // Each round, both stores queue sends between random pairs (so each batch locks many conversations and heads,
            // in both directions), and acks of everything each user has so far, which lock watermarks, markers and heads.
            for (var k = 0; k < 16; k++)
            {
                var (from, to) = (random.Next(UserCount), random.Next(UserCount));
                if (from == to) to = (to + 1) % UserCount;
                appends.Add(await AppendAsync(k % 2 == 0 ? _a : _b, User(from), User(to), $"r{round}k{k}"));
            }
            for (var i = 0; i < UserCount; i++)
            {
                var store = (round + i) % 2 == 0 ? _a : _b;
                var user = User(i);
                acks.Add(Task.Run(async () => await store.AckAsync(new Username(user), user, await store.GetInboxHeadAsync(new Username(user), default), default)));
            }
        }
        var results = await Task.WhenAll(appends).WaitAsync(Timeout);
        await Task.WhenAll(acks).WaitAsync(Timeout);
        Assert.All(results, r => Assert.Equal(AppendStatus.Stored, r.Status));

        foreach (var conv in results.GroupBy(r => r.Message!.Conv))
        {
            Assert.Equal(Enumerable.Range(1, conv.Count()).Select(n => (long)n), conv.Select(r => r.Message!.N).Order());
        }
        for (var i = 0; i < UserCount; i++)
        {
            var head = await _a.GetInboxHeadAsync(new Username(User(i)), default);
            var inbox = await _b.ReadInboxAsync(new Username(User(i)), 0, 100_000, default);
            Assert.Equal(Enumerable.Range(1, (int)head).Select(s => (long)s), inbox.Select(e => e.Seq));
        }
    }

    [Fact]
    public async Task A_cid_sent_through_two_nodes_at_once_is_stored_once_and_the_other_answered_as_its_duplicate()
    {
        // The same cid to two different conversations: no lock orders the two sends, so the second node's insert meets
        // the first's in the (sender, cid) index; it must be retried and answered as the duplicate, not fail.
        var pairs = new List<(Task<AppendResult> A, Task<AppendResult> B)>();
        for (var i = 0; i < 50; i++)
        {
            pairs.Add((await AppendAsync(_a, User(0), User(1), $"same{i}"), await AppendAsync(_b, User(0), User(2), $"same{i}")));
        }
        foreach (var (a, b) in pairs)
        {
            var (first, second) = (await a.WaitAsync(Timeout), await b.WaitAsync(Timeout));
            Assert.Equal([AppendStatus.Stored, AppendStatus.Duplicate], new[] { first.Status, second.Status }.Order());
            Assert.Equal(first.Message!.Id, second.Message!.Id);
        }
    }

    [Fact]
    public async Task A_writer_whose_connection_is_killed_retries_on_a_new_one_and_loses_nothing()
    {
        var before = await (await AppendAsync(_a, User(0), User(1), "before")).WaitAsync(Timeout);
        Assert.Equal(AppendStatus.Stored, before.Status);

        // Every connection of the database but the one killing them: the writers' and the pooled readers'.
        await using (var admin = new NpgsqlConnection(_connectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", admin);
            await kill.ExecuteNonQueryAsync();
        }

        var after = await (await AppendAsync(_a, User(0), User(1), "after")).WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, before.Message!.N + 1), (after.Status, after.Message!.N));
        var ack = await _a.AckAsync(new Username(User(1)), User(1), 2, default).WaitAsync(Timeout);
        Assert.Equal(InboxEntryKind.Receipt, Assert.Single(ack.Writes).Entry.Kind);
    }

    [Fact]
    public async Task A_member_added_while_a_send_to_its_group_is_read_is_not_held_back_and_the_send_reaches_the_new_member()
    {
        // The send's batch reads the group's members, then waits for the media it carries, which this test holds locked:
        // the batch stops between its reads and its flush. A member added meanwhile through the other node must commit at
        // once (the batch holds no lock on the conversation yet; before, it held it from its reads on and the add waited),
        // and the send, flushed after, must notice its member list is stale and reach the new member too.
        var group = ConversationId.NewGroup();
        Assert.Equal(Core.Groups.GroupStatus.Ok, (await _a.CreateGroupAsync(group, new Username(User(0)), "g", [User(1)], 10, Now(), default)).Status);
        var mediaId = new string('m', 64);
        await _a.AddMediaAsync(new StoredMedia(new MediaInfo(mediaId, "image/png", 10, 1, 1, null, true), "blob", Now()), new Username(User(0)), Now(), default);

        await using var holder = new NpgsqlConnection(_connectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockMedia = new NpgsqlCommand("SELECT 1 FROM media WHERE media_id = $1 FOR UPDATE", holder, hold) { Parameters = { new() { Value = mediaId } } })
        {
            Assert.Equal(1, await lockMedia.ExecuteScalarAsync());
        }
        var send = await _a.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), group.Value, User(0), null, "to-group", "image",
            Encoding.UTF8.GetBytes("\"x\""), Now(), null, mediaId), default);
        await WaitForALockWaitAsync();

        var added = await _b.AddMembersAsync(group, new Username(User(0)), [User(2)], 10, Now(), default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Core.Groups.GroupStatus.Ok, added.Status);
        Assert.False(send.IsCompleted);
        await hold.CommitAsync();

        var sent = await send.WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, 1L), (sent.Status, sent.Message!.N));
        Assert.Equal([User(0), User(1), User(2)], sent.Writes.Select(w => w.User).Order(StringComparer.Ordinal));
        var newMember = await _b.ReadInboxAsync(new Username(User(2)), 0, 100, default);
        Assert.Equal(1L, Assert.Single(newMember, e => e.Kind == InboxEntryKind.Message).N);
    }

    [Fact]
    public async Task A_block_committed_on_another_node_between_a_sends_read_and_its_flush_hides_the_send_from_the_blocker()
    {
        // Bob's send to alice is held between its batch's reads (which find no block) and its flush, by the media it carries.
        // Alice blocks bob through the other node meanwhile: the block commits at once (the batch holds no lock on the
        // conversation yet). The send, flushed after it, must not reach alice: bob's messages never reach her while she
        // blocks him. Before, the batch trusted what it had read and gave alice an inbox row.
        var (bob, alice) = (User(0), User(1));
        var mediaId = await AddMediaAsync(bob);
        await using var holder = await HoldRowAsync("SELECT 1 FROM media WHERE media_id = $1 FOR UPDATE", mediaId);
        var send = await AppendWithMediaAsync(_a, bob, alice, "held", mediaId);
        await WaitForLockWaitsAsync(1);

        Assert.True(await _b.BlockAsync(new Username(alice), new Username(bob), Now(), default).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(send.IsCompleted);
        await holder.ReleaseAsync();

        var sent = await send.WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, 1L), (sent.Status, sent.Message!.N));
        Assert.Equal([bob], sent.Writes.Select(w => w.User));
        Assert.DoesNotContain(await _b.ReadInboxAsync(new Username(alice), 0, 100, default), e => e.Kind == InboxEntryKind.Message);
        Assert.Empty(await _b.GetHistoryAsync(ConversationId.Direct(alice, bob), new Username(alice), 0, null, 50, default));
    }

    [Fact]
    public async Task An_unblock_committed_on_another_node_between_a_sends_read_and_its_flush_lets_the_send_reach_the_former_blocker()
    {
        // The same interleaving the other way: the batch read a block that alice lifts before the send commits. A send that
        // commits after the unblock is an ordinary message (before, it stayed hidden from alice for good).
        var (bob, alice) = (User(0), User(1));
        Assert.True(await _a.BlockAsync(new Username(alice), new Username(bob), Now(), default).WaitAsync(Timeout));
        var mediaId = await AddMediaAsync(bob);
        await using var holder = await HoldRowAsync("SELECT 1 FROM media WHERE media_id = $1 FOR UPDATE", mediaId);
        var send = await AppendWithMediaAsync(_a, bob, alice, "held", mediaId);
        await WaitForLockWaitsAsync(1);

        Assert.True(await _b.UnblockAsync(new Username(alice), new Username(bob), default).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(send.IsCompleted);
        await holder.ReleaseAsync();

        var sent = await send.WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, 1L), (sent.Status, sent.Message!.N));
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), sent.Writes.Select(w => w.User).Order(StringComparer.Ordinal));
        Assert.Equal([1L], (await _b.GetHistoryAsync(ConversationId.Direct(alice, bob), new Username(alice), 0, null, 50, default)).Select(m => m.N));
    }

    [Fact]
    public async Task A_block_made_while_a_send_of_its_pair_is_being_flushed_on_another_node_waits_for_it_and_hides_what_follows()
    {
        // Bob's first message to alice is in its flush on node A, holding the conversation's row (it creates it), and waits
        // for alice's inbox head, which this test holds. Alice's block through node B must wait for that send: the send is
        // ordered before the block and reaches alice; what bob sends after the block does not. Before, the block committed at
        // once and the send, committed after it, still reached alice.
        var (bob, alice) = (User(0), User(1));
        await using var holder = await HoldRowAsync("SELECT 1 FROM inbox_heads WHERE username = $1 FOR UPDATE", alice);
        var send = await AppendAsync(_a, bob, alice, "in-flight");
        await WaitForLockWaitsAsync(1);

        var block = _b.BlockAsync(new Username(alice), new Username(bob), Now(), default);
        await WaitForLockWaitsAsync(2, until: () => block.IsCompleted);
        Assert.False(block.IsCompleted, "the block committed while a send of its pair held the conversation");
        Assert.False(send.IsCompleted);
        await holder.ReleaseAsync();

        var sent = await send.WaitAsync(Timeout);
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), sent.Writes.Select(w => w.User).Order(StringComparer.Ordinal));
        Assert.True(await block.WaitAsync(Timeout));
        var after = await (await AppendAsync(_a, bob, alice, "after")).WaitAsync(Timeout);
        Assert.Equal((AppendStatus.Stored, 2L), (after.Status, after.Message!.N));
        Assert.Equal([bob], after.Writes.Select(w => w.User));
    }

    [Fact]
    public async Task A_block_made_while_a_reaction_of_its_pair_is_being_written_on_another_node_waits_for_it_and_hides_the_next()
    {
        // Bob's reaction in the direct conversation (a rare write) read no block and waits, holding the conversation's row,
        // for alice's inbox head. Alice's block through node B waits for it: the reaction is ordered before the block and
        // reaches alice; the next one does not. Before, the block committed at once and the reaction still reached her.
        var (bob, alice) = (User(0), User(1));
        var conv = ConversationId.Direct(alice, bob);
        Assert.Equal(AppendStatus.Stored, (await (await AppendAsync(_a, alice, bob, "first")).WaitAsync(Timeout)).Status);
        await using var holder = await HoldRowAsync("SELECT 1 FROM inbox_heads WHERE username = $1 FOR UPDATE", alice);
        var react = _a.ReactAsync(conv, new Username(bob), 1, "👍", Now(), default);
        await WaitForLockWaitsAsync(1);

        var block = _b.BlockAsync(new Username(alice), new Username(bob), Now(), default);
        await WaitForLockWaitsAsync(2, until: () => block.IsCompleted);
        Assert.False(block.IsCompleted, "the block committed while a reaction of its pair held the conversation");
        await holder.ReleaseAsync();

        var reacted = await react.WaitAsync(Timeout);
        Assert.Equal(new[] { alice, bob }.Order(StringComparer.Ordinal), reacted.Writes.Select(w => w.User).Order(StringComparer.Ordinal));
        Assert.True(await block.WaitAsync(Timeout));
        var next = await _a.ReactAsync(conv, new Username(bob), 1, "🎉", Now(), default).WaitAsync(Timeout);
        Assert.Equal([bob], next.Writes.Select(w => w.User));
    }

    [Fact]
    public async Task Device_last_seen_and_contact_statements_riding_in_one_batch_with_acks_each_get_their_own_result()
    {
        // The flush runs a batch's single statements in their tables' places in the lock order (devices with the acks'
        // devices, users rows after the heads, contacts last), no longer first and in queue order: each must still get its
        // own row count.
        // The writer is held on a first batch so that everything queued meanwhile commits as the next one.
        Assert.Equal(AppendStatus.Stored, (await (await AppendAsync(_a, User(4), User(5), "to-ack")).WaitAsync(Timeout)).Status);
        var mediaId = await AddMediaAsync(User(0));
        await using var holder = await HoldRowAsync("SELECT 1 FROM media WHERE media_id = $1 FOR UPDATE", mediaId);
        var held = await AppendWithMediaAsync(_a, User(0), User(1), "held", mediaId);
        await WaitForLockWaitsAsync(1);

        var lastSeenLater = _a.SaveLastSeenAsync(new Username(User(6)), 5_000, default);
        var revoke = _a.RevokeDeviceAsync(User(3), Now(), default);
        var create = _a.CreateDeviceAsync(new NewDevice("new-device", User(2), "tablet", [42], Now(), long.MaxValue), default);
        var ack = _a.AckAsync(new Username(User(5)), User(5), 1, default);
        var revokeAgain = _a.RevokeDeviceAsync(User(3), Now(), default);
        var revokeNew = _a.RevokeDeviceAsync("new-device", Now(), default);
        var lastSeenEarlier = _a.SaveLastSeenAsync(new Username(User(6)), 4_000, default);
        var contact = _a.RecordContactAsync(new Username(User(6)), new Username(User(7)), Now(), default);
        var contactBack = _a.RecordContactAsync(new Username(User(7)), new Username(User(6)), Now(), default);
        // The same pair recorded through the other node meanwhile (a user with devices on both): stored once.
        await _b.RecordContactAsync(new Username(User(6)), new Username(User(7)), Now(), default).WaitAsync(Timeout);
        await holder.ReleaseAsync();

        Assert.Equal(AppendStatus.Stored, (await held.WaitAsync(Timeout)).Status);
        await Task.WhenAll(lastSeenLater, create, lastSeenEarlier, contact, contactBack).WaitAsync(Timeout);
        Assert.True(await _b.IsContactAsync(new Username(User(6)), new Username(User(7)), default));
        Assert.True(await _b.IsContactAsync(new Username(User(7)), new Username(User(6)), default));
        Assert.Equal((true, false, true), (await revoke.WaitAsync(Timeout), await revokeAgain.WaitAsync(Timeout), await revokeNew.WaitAsync(Timeout)));
        Assert.Equal(InboxEntryKind.Receipt, Assert.Single((await ack.WaitAsync(Timeout)).Writes).Entry.Kind);
        // Last seen only moves forward: the earlier one changes nothing.
        Assert.Equal(5_000, (await _b.GetPresenceAsync(new Username(User(6)), default)).LastSeen);
    }

    [Fact]
    public async Task Logins_of_one_user_on_two_nodes_at_once_keep_the_device_cap()
    {
        // u07 has two devices, its own and "second", under a cap of 2: each login revokes the oldest. The test holds the
        // oldest one's row so that both nodes' logins are inside their transactions at once; each must see the other's.
        var user = User(7);
        Assert.Empty(await _a.CreateDeviceWithinCapAsync(new NewDevice("second", user, "tablet", [70], Now(), long.MaxValue), 2, default));
        await using var holder = await HoldRowAsync("SELECT 1 FROM devices WHERE device_id = $1 FOR UPDATE", user);
        var viaA = _a.CreateDeviceWithinCapAsync(new NewDevice("via-a", user, "laptop", [71], Now(), long.MaxValue), 2, default);
        var viaB = _b.CreateDeviceWithinCapAsync(new NewDevice("via-b", user, "watch", [72], Now(), long.MaxValue), 2, default);
        await WaitForLockWaitsAsync(2);
        await holder.ReleaseAsync();

        var revoked = (await Task.WhenAll(viaA, viaB).WaitAsync(Timeout)).SelectMany(ids => ids).Order(StringComparer.Ordinal);
        Assert.Equal(["second", user], revoked);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var live = new NpgsqlCommand("SELECT count(*) FROM devices WHERE username = $1 AND revoked_at IS NULL", connection) { Parameters = { new() { Value = user } } };
        Assert.Equal(2L, await live.ExecuteScalarAsync());
    }

    private async Task<string> AddMediaAsync(string uploader)
    {
        var mediaId = new string('m', 64);
        await _a.AddMediaAsync(new StoredMedia(new MediaInfo(mediaId, "image/png", 10, 1, 1, null, true), "blob", Now()), new Username(uploader), Now(), default);
        return mediaId;
    }

    private Task<Task<AppendResult>> AppendWithMediaAsync(PostgresStore store, string from, string to, string cid, string mediaId) =>
        store.EnqueueAppendAsync(new NewMessage(Guid.NewGuid().ToString("N"), ConversationId.Direct(from, to).Value, from, [from, to], cid, "image",
            Encoding.UTF8.GetBytes("\"x\""), Now(), null, mediaId), default).AsTask();

    /// <summary>A transaction of the test's own holding the row that <paramref name="lockSql"/> locks, until released.</summary>
    private async Task<HeldRow> HoldRowAsync(string lockSql, string key)
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(lockSql, connection, transaction) { Parameters = { new() { Value = key } } })
        {
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }
        return new HeldRow(connection, transaction);
    }

    private sealed class HeldRow(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public Task ReleaseAsync() => transaction.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    /// <summary>Returns once some session of the test's database waits for a row lock (bounded).</summary>
    private Task WaitForALockWaitAsync() => WaitForLockWaitsAsync(1);

    /// <summary>
    /// Returns once <paramref name="count"/> sessions of the test's database wait for a row lock, or <paramref name="until"/>
    /// holds (bounded).
    /// </summary>
    private async Task WaitForLockWaitsAsync(int count, Func<bool>? until = null)
    {
        await using var watcher = new NpgsqlConnection(_connectionString);
        await watcher.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        var deadline = DateTime.UtcNow + Timeout;
        while ((long)(await waiting.ExecuteScalarAsync())! < count && until?.Invoke() != true)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} sessions waited for a held row");
            await Task.Delay(20);
        }
    }
}

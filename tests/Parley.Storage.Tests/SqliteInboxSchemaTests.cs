using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

/// <summary>
/// What a light commit writes on SQLite: a direct message's inbox rows are found by the seqs kept with the message, not
/// by an index on the inbox's (conv, n) that every message would write; new databases take the configured page size.
/// </summary>
public sealed class SqliteInboxSchemaTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly ConversationId AliceBob = ConversationId.Parse("d:alice:bob");
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-inbox-schema-").FullName;
    private SqliteStore? _store;
    private long _clock = 1_800_000_000_000;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await CloseAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<SqliteStore> OpenAsync(int pageSize = 4096)
    {
        _store = new SqliteStore(Options.Create(new StorageOptions { SqlitePageSize = pageSize }), Options.Create(new DataDirectoryOptions { DataDir = _dir }),
            NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        return _store;
    }

    private async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "parley.db"), Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static List<string> Strings(SqliteConnection connection, string sql, int column = 0)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var list = new List<string>();
        while (reader.Read()) list.Add(reader.GetString(column));
        return list;
    }

    private long Now() => Interlocked.Increment(ref _clock);

    private async Task<AppendResult> SendAsync(SqliteStore store, string from, string cid)
    {
        var message = new NewMessage(Guid.NewGuid().ToString("N"), AliceBob.Value, from, ["alice", "bob"], cid, "text", Encoding.UTF8.GetBytes("\"hi\""), Now(), null);
        return await (await store.EnqueueAppendAsync(message, default)).WaitAsync(Timeout);
    }

    [Fact]
    public async Task The_inbox_is_indexed_by_conv_and_n_only_for_group_rows_and_both_deletes_use_an_index()
    {
        await OpenAsync();
        await CloseAsync();

        using var connection = Connect();
        var indexes = Strings(connection, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inbox' AND sql IS NOT NULL ORDER BY name");
        Assert.Equal(["inbox_group_conv_n"], indexes);
        // The statements MessageEntries runs: a group's rows through the partial index, a direct message's by primary key.
        var group = string.Join(" ", Strings(connection,
            "EXPLAIN QUERY PLAN DELETE FROM inbox WHERE conv = 'g:1' AND n = 1 AND conv LIKE 'g:%' AND kind IN (1, 8)", column: 3));
        Assert.Contains("USING INDEX inbox_group_conv_n", group, StringComparison.Ordinal);
        var direct = string.Join(" ", Strings(connection,
            "EXPLAIN QUERY PLAN DELETE FROM inbox WHERE username = 'a' AND seq >= 1 AND seq <= 1 AND conv = 'd:a:b' AND n = 1 AND kind IN (1, 8)", column: 3));
        Assert.Contains("USING PRIMARY KEY (username=? AND seq>? AND seq<?)", direct, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_database_takes_the_configured_page_size_and_an_existing_one_keeps_its_own()
    {
        var store = await OpenAsync(pageSize: 1024);
        await store.CreateUserAsync(new NewUser("alice", "alice", "hash", Now()), default);
        await CloseAsync();
        await OpenAsync(pageSize: 8192);
        await CloseAsync();

        using var connection = Connect();
        Assert.Equal(["1024"], Strings(connection, "SELECT CAST(page_size AS TEXT) FROM pragma_page_size"));
    }

    [Fact]
    public async Task Direct_messages_stored_before_the_recipients_seqs_were_kept_still_leave_both_inboxes_when_deleted()
    {
        var store = await OpenAsync();
        foreach (var name in new[] { "alice", "bob" }) Assert.True(await store.CreateUserAsync(new NewUser(name, name, "hash", Now()), default));
        var first = await SendAsync(store, "alice", "c1");
        await SendAsync(store, "bob", "c2");
        Assert.Equal(ChangeStatus.Ok,
            (await store.EditAsync(AliceBob, new Username("alice"), 1, "\"e\""u8.ToArray(), first.Message!.Ts + 1, TimeSpan.FromMinutes(15), default).WaitAsync(Timeout)).Status);
        await CloseAsync();
        using (var connection = Connect())
        {
            // The schema before migration 18: the (conv, n) index, and no recipient seq.
            using var revert = connection.CreateCommand();
            revert.CommandText =
                """
                DROP INDEX inbox_group_conv_n;
                CREATE INDEX inbox_conv_n ON inbox(conv, n);
                ALTER TABLE messages DROP COLUMN recipient_seq;
                PRAGMA user_version = 17;
                """;
            revert.ExecuteNonQuery();
        }

        store = await OpenAsync();
        Assert.Equal(ChangeStatus.Ok, (await store.DeleteMessageAsync(AliceBob, new Username("alice"), 1, Now(), default).WaitAsync(Timeout)).Status);

        foreach (var user in new[] { "alice", "bob" })
        {
            var entries = (await store.ReadInboxAsync(new Username(user), 0, 100, default))
                .Where(e => e.Kind is InboxEntryKind.Message or InboxEntryKind.Edited).Select(e => (e.N, e.Kind));
            Assert.Equal([(2L, InboxEntryKind.Message)], entries);
        }
    }
}

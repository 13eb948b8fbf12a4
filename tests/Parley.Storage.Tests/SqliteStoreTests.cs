using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

public sealed class SqliteStoreTests : StoreContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-store-").FullName;
    private SqliteStore? _store;

    protected override async Task<(IUserStore Users, IMessageStore Messages)> OpenAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        return (_store, _store);
    }

    protected override async Task CloseAsync()
    {
        if (_store is not null) await _store.StopAsync(default);
        _store = null;
    }

    protected override async Task RevertToCountersInUsersAsync()
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, "parley.db"), Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText =
            """
            DROP INDEX inbox_group_conv_n;
            CREATE INDEX inbox_conv_n ON inbox(conv, n);
            ALTER TABLE messages DROP COLUMN recipient_seq;
            ALTER TABLE users ADD COLUMN inbox_head INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE users ADD COLUMN delivered_seq INTEGER NOT NULL DEFAULT 0;
            UPDATE users SET inbox_head = (SELECT head FROM inbox_heads h WHERE h.username = users.username),
              delivered_seq = (SELECT delivered_seq FROM inbox_delivered d WHERE d.username = users.username)
            WHERE username IN (SELECT username FROM inbox_heads);
            UPDATE users SET inbox_head = 7, delivered_seq = 7 WHERE deleted_at IS NOT NULL;
            DROP TABLE inbox_heads;
            DROP TABLE inbox_delivered;
            DROP INDEX member_periods_username;
            DROP TABLE contacts;
            DROP INDEX media_uploads_username;
            ALTER TABLE messages DROP COLUMN reply_to;
            ALTER TABLE messages DROP COLUMN edited_at;
            DROP TABLE reactions;
            DROP INDEX messages_hidden;
            ALTER TABLE messages DROP COLUMN hidden_from;
            ALTER TABLE messages DROP COLUMN shown_body;
            ALTER TABLE messages DROP COLUMN shown_edited_at;
            DROP TABLE blocks;
            DROP TABLE notes;
            DROP TABLE group_invites;
            ALTER TABLE conversations DROP COLUMN description;
            PRAGMA user_version = 7;
            """;
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public void The_database_is_one_file_in_the_data_directory() => Assert.True(File.Exists(Path.Combine(_dir, "parley.db")));
}

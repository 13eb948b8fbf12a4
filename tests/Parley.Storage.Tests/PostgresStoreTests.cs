using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Parley.Core.Storage;
using Parley.Storage.Postgres;
using Parley.Testing;

namespace Parley.Storage.Tests;

/// <summary>The same contract on a real PostgreSQL server, each test in a database of its own.</summary>
public sealed class PostgresStoreTests : StoreContract
{
    private string? _connectionString;
    private PostgresStore? _store;

    protected override async Task<(IUserStore Users, IMessageStore Messages)> OpenAsync()
    {
        _connectionString ??= await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        _store = new PostgresStore(Options.Create(new StorageOptions { Provider = "postgres", Postgres = _connectionString }), NullLogger<PostgresStore>.Instance);
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
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            ALTER TABLE users ADD COLUMN inbox_head BIGINT NOT NULL DEFAULT 0, ADD COLUMN delivered_seq BIGINT NOT NULL DEFAULT 0;
            UPDATE users u SET inbox_head = h.head FROM inbox_heads h WHERE h.username = u.username;
            UPDATE users u SET delivered_seq = d.delivered_seq FROM inbox_delivered d WHERE d.username = u.username;
            UPDATE users SET inbox_head = 7, delivered_seq = 7 WHERE deleted_at IS NOT NULL;
            DROP TABLE inbox_heads, inbox_delivered;
            DROP INDEX member_periods_username;
            DROP TABLE contacts;
            DROP INDEX media_uploads_username;
            ALTER TABLE messages DROP COLUMN reply_to, DROP COLUMN edited_at;
            DROP TABLE reactions;
            ALTER TABLE messages DROP COLUMN hidden_from, DROP COLUMN shown_body, DROP COLUMN shown_edited_at;
            DROP TABLE blocks, notes, group_invites;
            ALTER TABLE conversations DROP COLUMN description;
            DELETE FROM schema_version WHERE version >= 7;
            """, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrations_are_recorded_and_run_once()
    {
        await ReopenAsync();
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*), MAX(version) FROM schema_version", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(reader.GetInt64(0), reader.GetInt32(1));
    }
}

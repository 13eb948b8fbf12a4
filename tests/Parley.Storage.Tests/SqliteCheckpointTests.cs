using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Storage.Tests;

/// <summary>
/// SQLite's WAL is checkpointed beside the writer (a connection of its own, and the writer when its queue is empty), not
/// inside the commit that crosses a mark: a quiet database ends up whole in its file.
/// </summary>
public sealed class SqliteCheckpointTests : IAsyncLifetime
{
    private const int Messages = 1500;
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-checkpoint-").FullName;
    private SqliteStore _store = null!;
    private long _clock = 1_800_000_000_000;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
    }

    public async Task DisposeAsync()
    {
        await _store.StopAsync(default);
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Once_the_writer_is_quiet_every_commit_is_in_the_database_file_itself()
    {
        foreach (var name in new[] { "alice", "bob" }) Assert.True(await _store.CreateUserAsync(new NewUser(name, name, "hash", ++_clock), default));
        // One commit each (every send awaited), ~2 KB a message: several times past SQLite's 1,000-page checkpoint mark.
        var body = Encoding.UTF8.GetBytes("\"" + new string('x', 2000) + "\"");
        for (var i = 0; i < Messages; i++)
        {
            var pending = await _store.EnqueueAppendAsync(
                new NewMessage(Guid.NewGuid().ToString("N"), "d:alice:bob", i % 2 == 0 ? "alice" : "bob", ["alice", "bob"], $"c{i}", "text", body, ++_clock, null), default);
            Assert.Equal(AppendStatus.Stored, (await pending.Within(TimeSpan.FromSeconds(30))).Status);
        }

        // Without another write, the database file alone (its WAL left behind) comes to hold every message: the WAL was
        // copied to its end. SQLite's automatic checkpoint alone would leave up to 999 pages of the last commits in the WAL.
        await Bounded.EventuallyAsync(() => MessagesInTheFileAlone() == Messages, "every message in the database file without its WAL",
            TimeSpan.FromSeconds(20));
    }

    private long MessagesInTheFileAlone()
    {
        var copy = Path.Combine(_dir, $"copy-{Guid.NewGuid():N}.db");
        try
        {
            File.Copy(Path.Combine(_dir, "parley.db"), copy);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
            connection.Open();
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM messages";
            return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            // Copied while a checkpoint was writing into it (a torn page): look again.
            return -1;
        }
        finally
        {
            foreach (var file in Directory.GetFiles(_dir, Path.GetFileName(copy) + "*")) File.Delete(file);
        }
    }
}

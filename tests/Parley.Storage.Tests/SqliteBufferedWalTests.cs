using System.Globalization;
using Microsoft.Data.Sqlite;
using Parley.Storage.Sqlite;

namespace Parley.Storage.Tests;

/// <summary>
/// The writer's WAL frames reach the file in one write per commit (<see cref="BufferedWalVfs"/>), and nothing changes for
/// what reads the WAL: other connections, and the recovery a crash leaves to the next start (here: the files copied while
/// the writer holds them open, without the wal-index, so SQLite rebuilds it from the WAL's frames and checksums).
/// </summary>
public sealed class SqliteBufferedWalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-bufferedwal-").FullName;
    private readonly string _path;
    private readonly SqliteConnection _writer;

    public SqliteBufferedWalTests()
    {
        _path = Path.Combine(_dir, "test.db");
        _writer = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = BufferedWalVfs.UriFor(_path), Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate,
        }.ToString());
        _writer.Open();
        Run(_writer, "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;" +
            "CREATE TABLE rows(k INTEGER PRIMARY KEY, v TEXT NOT NULL); CREATE INDEX rows_v ON rows(v);");
    }

    public void Dispose()
    {
        _writer.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_commit_reaches_the_WAL_file_in_one_write_and_other_connections_read_it()
    {
        var before = BufferedWalVfs.CountsOf(_writer) ?? throw new InvalidOperationException("the WAL is not the buffered VFS's");
        Insert(_writer, from: 0, count: 60, width: 400);
        var after = BufferedWalVfs.CountsOf(_writer)!.Value;

        // ~100 pages of rows and index (under the 128 KiB the platform VFS takes in one call): SQLite made two writes per
        // frame, the file got one.
        Assert.True(after.Writes - before.Writes >= 100, $"SQLite wrote {after.Writes - before.Writes} times");
        Assert.Equal(1, after.FileWrites - before.FileWrites);
        using var reader = ReadOnly(_path);
        Assert.Equal(60, Count(reader));
    }

    [Fact]
    public void What_a_crash_leaves_holds_every_commit_large_small_spilled_and_rolled_back()
    {
        // A small cache makes a large transaction spill frames before its commit and then rewrite some of them in place
        // (SQLite's in-transaction overwrite and its checksum rewrite): the writes that bypass the buffer.
        Run(_writer, "PRAGMA cache_size=20");
        var committed = 0;
        var sizes = new[] { (1, 10), (200, 300), (5, 50), (2000, 900), (1, 5) };
        for (var i = 0; i < sizes.Length; i++)
        {
            var (count, width) = sizes[i];
            Insert(_writer, committed, count, width);
            committed += count;
            AssertCrashCopyHolds(committed, $"after commit {i}");

            // A rolled-back transaction leaves frames the WAL never publishes.
            using (var rolledBack = _writer.BeginTransaction())
            {
                Insert(_writer, 1_000_000 + i * 10_000, 500, 300, rolledBack);
                rolledBack.Rollback();
            }
            AssertCrashCopyHolds(committed, $"after the rollback following commit {i}");
        }

        // A transaction larger than the buffer reaches the file in pieces; then the WAL restarts from its beginning.
        Insert(_writer, committed, 12_000, 600);
        committed += 12_000;
        AssertCrashCopyHolds(committed, "after a transaction larger than the buffer");
        Run(_writer, "PRAGMA wal_checkpoint(TRUNCATE)");
        Insert(_writer, committed, 50, 100);
        committed += 50;
        AssertCrashCopyHolds(committed, "after the WAL restarted");
    }

    private void AssertCrashCopyHolds(int expected, string when)
    {
        var copy = Path.Combine(_dir, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(_path, copy);
        File.Copy(_path + "-wal", copy + "-wal");
        try
        {
            using var connection = ReadOnly(copy, readWrite: true);
            Assert.Equal("ok", Scalar(connection, "PRAGMA integrity_check"));
            Assert.True(expected == Count(connection), $"{when}: {Count(connection)} rows, {expected} committed");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(_dir, Path.GetFileName(copy) + "*")) File.Delete(file);
        }
    }

    private static void Insert(SqliteConnection connection, int from, int count, int width, SqliteTransaction? open = null)
    {
        var transaction = open ?? connection.BeginTransaction();
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO rows(k, v) VALUES ($k, $v)";
            var k = insert.Parameters.Add("$k", SqliteType.Integer);
            var v = insert.Parameters.Add("$v", SqliteType.Text);
            for (var i = from; i < from + count; i++)
            {
                k.Value = i;
                v.Value = i.ToString(CultureInfo.InvariantCulture).PadLeft(width, (char)('a' + i % 26));
                insert.ExecuteNonQuery();
            }
        }
        if (open is not null) return;
        transaction.Commit();
        transaction.Dispose();
    }

    private static SqliteConnection ReadOnly(string path, bool readWrite = false)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path, Pooling = false, Mode = readWrite ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadOnly,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static long Count(SqliteConnection connection) => Convert.ToInt64(Scalar(connection, "SELECT count(*) FROM rows"), CultureInfo.InvariantCulture);

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static void Run(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

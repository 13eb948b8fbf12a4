using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Storage.Relational;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode under the data directory. WAL lets the pooled
/// read connections run beside the single writer.
/// </summary>
public sealed class SqliteStore : RelationalStore
{
    private readonly StorageOptions _options;
    private readonly ILogger _logger;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;

    public SqliteStore(IOptions<StorageOptions> options, IOptions<DataDirectoryOptions> dataDirectory, ILogger<SqliteStore> logger, TimeProvider? time = null)
        : base(options.Value, logger, time)
    {
        _options = options.Value;
        _logger = logger;
        var dir = dataDirectory.Value.DataDir;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "parley.db");
        // The writer's connection (and the checkpointer's, which only reads the WAL) may gather a commit's WAL frames into
        // one write (BufferedWalVfs); readers use SQLite's own VFS.
        var writePath = _options.SqliteBufferedWal ? BufferedWalVfs.UriFor(path) : path;
        _writeConnectionString = new SqliteConnectionStringBuilder { DataSource = writePath, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadOnly }.ToString();
    }

    // The writer re-reads the hot pages (users, conversations, the tails of inbox and messages) in every batch; with
    // SQLite's default 2 MiB cache they fall out and each read becomes a pread of the WAL or the database file. Counted in
    // pages, not bytes, and no larger than that: a commit after a b-tree rebalance (more than half of them in pairs: SQLite
    // renumbers the rebalanced pages through the lock page's number, far beyond the file's end) scans the cache's whole hash
    // table to drop pages past the end, so every cached page costs each such commit. 8,192 pages is what the cache held when
    // it was sized at 32 MiB with 4 KiB pages; at 1 KiB pages 32 MiB held four times as many, and the scan was ~2 % of the
    // server's CPU in pairs (docs/benchmarks.md, "Issue 16: store reads on the 1:1 path").
    private const int WriterCachePages = 8192;

    protected override string JoinUsernames => "group_concat(username, ' ')";

    // Checkpoints run beside the writer (SqliteCheckpointer), created with the writer's first session.
    private SqliteCheckpointer? _checkpointer;

    private SqliteConnection OpenWriteConnection(int autoCheckpointPages = 1000)
    {
        var connection = new SqliteConnection(_writeConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // The checkpoint's fsyncs follow the connection's synchronous setting: the same on the writer and the checkpointer.
        // page_size first: it takes effect only on a database not yet written to (a new file), before WAL mode writes its header.
        // temp_store=MEMORY: a statement that may fail halfway inside the batch's transaction (a multi-row insert) keeps a
        // statement journal of the pages it changes, and past 64 KiB SQLite spills it to a temporary file: a 200-member
        // group's inbox rows did, 4 of the ~7 pwrite calls per delivery (docs/benchmarks.md, "Statement journals in memory").
        pragma.CommandText = $"PRAGMA page_size={_options.SqlitePageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous={(_options.Durability == Durability.Full ? "FULL" : "NORMAL")}; PRAGMA busy_timeout=5000; PRAGMA cache_size={WriterCachePages}; PRAGMA wal_autocheckpoint={autoCheckpointPages}; PRAGMA temp_store=MEMORY;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    // In process: the writer's statements run synchronously on its loop's thread, which is faster than going async. SQLite's
    // automatic checkpoint stays on the writer's connection, at a higher mark, as the safety net (see SqliteCheckpointer).
    internal override Task<WriterSession> OpenWriterSessionAsync(CancellationToken cancellationToken)
    {
        _checkpointer ??= new SqliteCheckpointer(OpenWriteConnection(autoCheckpointPages: 0), _logger);
        return Task.FromResult<WriterSession>(new SqliteWriterSession(OpenWriteConnection(_checkpointer.SafetyNetPages), _checkpointer, _logger));
    }

    protected override async ValueTask<DbConnection> OpenReadConnectionAsync(CancellationToken cancellationToken)
    {
        // In process and pooled: opening costs no round trip (Microsoft.Data.Sqlite's async methods complete synchronously).
        var connection = new SqliteConnection(_readConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    protected override Task MigrateAsync(CancellationToken cancellationToken)
    {
        using var connection = OpenWriteConnection();
        SqliteSchema.Migrate(connection);
        return Task.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        _checkpointer?.Dispose();
        _checkpointer = null;
        SqliteConnection.ClearAllPools();
    }
}

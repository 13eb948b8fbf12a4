using System.ComponentModel.DataAnnotations;

namespace Parley.Storage;

/// <summary>How durable a commit is before a write is acknowledged.</summary>
public enum Durability
{
    /// <summary>Survives a crash of the server process (SQLite WAL with synchronous=NORMAL).</summary>
    Normal,
    /// <summary>Survives power loss too (synchronous=FULL: an fsync per commit).</summary>
    Full,
}

/// <summary>Parley:Storage.</summary>
public sealed class StorageOptions
{
    public const string Section = "Parley:Storage";

    /// <summary>sqlite (embedded default) or postgres (cluster mode).</summary>
    [Required]
    public string Provider { get; set; } = "sqlite";

    public Durability Durability { get; set; } = Durability.Normal;

    /// <summary>
    /// SQLite: the page size of a new database file, in bytes. A commit writes every page it touched whole to the WAL, so
    /// smaller pages mean fewer bytes per commit (1 KiB: ~60 % fewer WAL bytes per light message than SQLite's default
    /// 4 KiB, docs/benchmarks.md). An existing file keeps its own (docs/configuration.md says how to convert one).
    /// </summary>
    [AllowedValues(512, 1024, 2048, 4096, 8192, 16384, 32768, 65536)]
    public int SqlitePageSize { get; set; } = 1024;

    /// <summary>
    /// SQLite: the writer hands a transaction's WAL frames to the file in one write at its commit, instead of two writes per
    /// frame (<c>Sqlite/BufferedWalVfs</c>). Nothing is visible to readers, the checkpointer or crash recovery before it is
    /// in the file, so durability is unchanged; false is the way back to SQLite's own writes.
    /// </summary>
    public bool SqliteBufferedWal { get; set; } = true;

    /// <summary>The PostgreSQL connection string, with Provider=postgres.</summary>
    public string? Postgres { get; set; }

    /// <summary>The most writes committed in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Writes waiting for the writer; when full, connections stop reading until there is room.</summary>
    [Range(1, 10_000_000)]
    public int WriteQueueCapacity { get; set; } = 20_000;

    /// <summary>
    /// How long a transaction that meets a transient failure (a deadlock, a lost connection, a concurrent write that
    /// changed what it read) is retried before its writes fail.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TransientRetryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// For fault tests only: while a file exists at this path, every commit fails (as on a full disk). Empty: off.
    /// </summary>
    public string? FaultFile { get; set; }
}

using System.Diagnostics.Metrics;

namespace Parley.Storage.Relational;

/// <summary>
/// The store's instruments, on a meter named like the server's (<c>Parley</c>) so that one exporter
/// subscription collects both. Static: the storage layer has no host of its own, and the instruments are
/// process-wide facts about the one writer.
/// </summary>
internal static class StoreMetrics
{
    private static readonly Meter Meter = new("Parley");

    /// <summary>Writes committed per transaction.</summary>
    public static readonly Histogram<int> BatchSize = Meter.CreateHistogram("parley.store.commit.batch_size", "{write}",
        "Writes committed in one transaction", tags: null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096] });

    /// <summary>How long one transaction took, from its begin to its commit.</summary>
    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram("parley.store.commit.duration", "s",
        "Time to run and commit one transaction of the group-commit writer", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    /// <summary>Transactions that failed for good (their writes are retried alone, or fail).</summary>
    public static readonly Counter<long> FailedCommits = Meter.CreateCounter<long>("parley.store.commit.failures", "{transaction}",
        "Transactions of the group-commit writer that failed");

    /// <summary>Transactions retried whole after a transient failure, tagged with why (conflict, connection, stale).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>("parley.store.commit.retries", "{transaction}",
        "Transactions of the group-commit writer retried after a transient failure");

    /// <summary>Round trips the writer made to a database server (PostgreSQL; SQLite runs in process and makes none).</summary>
    public static readonly Counter<long> RoundTrips = Meter.CreateCounter<long>("parley.store.round_trips", "{round_trip}",
        "Round trips the group-commit writer made to the database server");

    /// <summary>Statements the writer sent in its batched round trips (PostgreSQL) or ran in committed transactions (SQLite).</summary>
    public static readonly Counter<long> Statements = Meter.CreateCounter<long>("parley.store.statements", "{statement}",
        "Statements the group-commit writer sent in batched round trips (PostgreSQL) or ran in committed transactions (SQLite)");

    /// <summary>Rows inserted, updated or deleted by the writer's committed transactions (SQLite).</summary>
    public static readonly Counter<long> RowsWritten = Meter.CreateCounter<long>("parley.store.rows_written", "{row}",
        "Rows inserted, updated or deleted by the group-commit writer's committed transactions (SQLite)");

    /// <summary>Pages the writer's commits appended to the WAL (SQLite: each a page plus a 24-byte frame header).</summary>
    public static readonly Counter<long> WalPages = Meter.CreateCounter<long>("parley.store.wal_pages", "{page}",
        "Pages the group-commit writer's commits appended to the SQLite WAL");

    /// <summary>Writes that reached the SQLite WAL file from the writer's commits (counted with <c>SqliteBufferedWal</c>; without it, two per page).</summary>
    public static readonly Counter<long> WalFileWrites = Meter.CreateCounter<long>("parley.store.wal_file_writes", "{write}",
        "Writes the group-commit writer's commits made to the SQLite WAL file");

    /// <summary>
    /// Reads run on a pooled read connection, tagged with the store method that ran them (<c>ReadInboxAsync</c>, ...). On SQLite
    /// each one that follows a commit starts with an empty page cache (SQLite drops it whenever the WAL changed).
    /// </summary>
    public static readonly Counter<long> Reads = Meter.CreateCounter<long>("parley.store.reads", "{read}",
        "Reads run on the store's pooled read connections, by the store method that ran them");

    /// <summary>WAL checkpoints run outside SQLite's automatic one (SQLite), tagged with who ran them.</summary>
    public static readonly Counter<long> Checkpoints = Meter.CreateCounter<long>("parley.store.checkpoints", "{checkpoint}",
        "SQLite WAL checkpoints run by the background connection or by the idle writer (SQLite's automatic one not counted)");

    /// <summary>How long one such checkpoint took.</summary>
    public static readonly Histogram<double> CheckpointDuration = Meter.CreateHistogram("parley.store.checkpoint.duration", "s",
        "Time to run one SQLite WAL checkpoint (background connection or idle writer)", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
}

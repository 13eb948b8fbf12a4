using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Storage.Relational;

namespace Parley.Storage.Sqlite;

/// <summary>
/// Keeps SQLite's checkpoint out of the writer's commits. SQLite's automatic checkpoint runs inside the commit that
/// crosses its mark and stalls every write queued behind it (5-10 ms: the WAL's pages copied into the database file and
/// both files fsynced). Here a connection of its own copies the WAL in the background (<c>PASSIVE</c>: it never blocks
/// the writer) whenever the writer has appended <see cref="BackgroundAfterPages"/>, and repeats until what is left is
/// small. A passive checkpoint beside a writer that never pauses never catches up with it, and the WAL starts over
/// only once every frame is in the database; so the writer finishes the job itself when it is idle (its queue empty):
/// the few frames left, and the next commit starts the WAL from its beginning. Under sustained load, where the writer
/// is never idle, SQLite's automatic checkpoint on the writer's connection (<see cref="SafetyNetPages"/>) still bounds
/// the WAL: by then the background has copied most of it. When the writer has gone quiet, the background copies what is
/// left within a second, so a quiet database is whole in its file. Nothing here changes what a commit promises: every
/// checkpoint is SQLite's own, with the writer's synchronous setting.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    /// <summary>Pages appended to the WAL after which the background copies them (SQLite's own default mark).</summary>
    public const int BackgroundAfterPages = 1000;

    /// <summary>The WAL length at which SQLite's automatic checkpoint runs in the writer's commit: only when the writer is never idle.</summary>
    public const int SafetyNetPages = 4000;

    // How often the background looks whether the writer went quiet with frames left in the WAL.
    private static readonly TimeSpan QuietCheckInterval = TimeSpan.FromSeconds(1);

    // A background pass that left more than this behind is followed by another at once; the writer finishes at most this many.
    private const int CatchUpPages = 256;

    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    // Pages the writer appended since the running (or last) background pass started.
    private long _appendedSincePass;
    private bool _passRunning;
    // A background pass left frames behind and the writer has not finished the job since: its next idle moment may.
    private bool _catchUpDue;
    // The writer's queue was empty after its last commit (cleared by its next commit).
    private bool _writerIdle;

    public SqliteCheckpointer(SqliteConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-checkpoint" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit with the pages it appended to the WAL.</summary>
    public void Appended(int pages)
    {
        lock (_lock)
        {
            _writerIdle = false;
            if (pages <= 0) return;
            _appendedSincePass += pages;
            if (_passRunning || _appendedSincePass < BackgroundAfterPages) return;
            _passRunning = true;
        }
        Wake();
    }

    /// <summary>
    /// Called by the writer when its queue is empty: whether it should run the closing checkpoint now (a background pass
    /// left a few frames behind and none is running). When what is left is large, the background is woken instead.
    /// </summary>
    public bool IdleCatchUpDue()
    {
        lock (_lock)
        {
            _writerIdle = true;
            if (!_catchUpDue || _passRunning) return false;
            if (_appendedSincePass <= CatchUpPages) return true;
            _passRunning = true;
        }
        Wake();
        return false;
    }

    /// <summary>Called by the writer after its closing checkpoint; <paramref name="complete"/>: every frame is in the database.</summary>
    public void CaughtUp(bool complete)
    {
        lock (_lock)
        {
            // Not complete (a reader still uses older frames): the next background pass tries again.
            _catchUpDue = false;
            if (complete) _appendedSincePass = 0;
        }
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    private void Run()
    {
        while (true)
        {
            try
            {
                if (!_wake.Wait(QuietCheckInterval, _stopping.Token))
                {
                    // Nothing woke it: when the writer has gone quiet with frames not yet copied, copy them now, so that a
                    // quiet database is whole in its file and the next commit starts the WAL over.
                    lock (_lock)
                    {
                        if (_passRunning || !_writerIdle || (_appendedSincePass == 0 && !_catchUpDue)) continue;
                        _passRunning = true;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            while (!_stopping.IsCancellationRequested)
            {
                lock (_lock) _appendedSincePass = 0;
                var result = Checkpoint(_connection, CheckpointBy.Background, _logger);
                // Busy: the writer's own checkpoint runs (the safety net, or its closing one); try again in a moment.
                if (result.Busy && _stopping.Token.WaitHandle.WaitOne(1)) return;
                lock (_lock)
                {
                    if (result.Busy) continue;
                    if (_appendedSincePass == 0)
                    {
                        // Nothing was committed meanwhile: everything is in the database (or a reader holds older frames).
                        _passRunning = false;
                        _catchUpDue = false;
                        break;
                    }
                    // Another pass at once while the writer appended a lot meanwhile, or is idle now (the pass will likely
                    // copy everything); otherwise the writer finishes at its next idle moment.
                    if (_appendedSincePass > CatchUpPages || _writerIdle) continue;
                    _passRunning = false;
                    _catchUpDue = true;
                    break;
                }
            }
        }
    }

    /// <summary>Runs a <c>PASSIVE</c> checkpoint on <paramref name="connection"/>: it copies what it can and never waits.</summary>
    public static CheckpointResult Checkpoint(SqliteConnection connection, CheckpointBy by, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var reader = cmd.ExecuteReader();
            reader.Read();
            var result = new CheckpointResult(reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
            var tag = new KeyValuePair<string, object?>("by", by == CheckpointBy.Background ? "background" : "writer");
            StoreMetrics.Checkpoints.Add(1, tag);
            StoreMetrics.CheckpointDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tag);
            return result;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // A checkpoint that fails leaves the WAL longer; the next one (or SQLite's automatic one) copies it.
            LogCheckpointFailed(logger, ex);
            return new CheckpointResult(true, 0, 0);
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _thread.Join();
        _connection.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "A WAL checkpoint failed; a later one copies what it left")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}

/// <summary>Who ran a checkpoint: the background connection, or the writer when idle.</summary>
internal enum CheckpointBy
{
    Background,
    Writer,
}

/// <summary>
/// What <c>PRAGMA wal_checkpoint</c> answered: whether it could not run (another checkpoint was running), the WAL's length
/// in frames, and how many of them are in the database now (equal: the next commit starts the WAL over).
/// </summary>
internal readonly record struct CheckpointResult(bool Busy, long LogFrames, long CheckpointedFrames)
{
    public bool Complete => !Busy && LogFrames >= 0 && CheckpointedFrames == LogFrames;
}

using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Storage.Relational;

namespace Parley.Storage.Sqlite;

/// <summary>
/// Keeps SQLite's checkpoint out of the writer's commits. SQLite's automatic checkpoint runs inside the commit that
/// crosses its mark (1,000 pages) and stalls every write queued behind it: the WAL's pages copied into the database file
/// and both files fsynced, 5-10 ms on a quiet machine, tens of ms on a busy one. Here a connection of its own copies the
/// WAL in the background (<c>PASSIVE</c>: it never blocks the writer) every <see cref="BackgroundAfterPages"/> appended,
/// at most once per <see cref="MinPassInterval"/>: a pass copies each page once however many versions of it were appended
/// since the last, so spacing the passes lets the writer's hot pages coalesce.
/// That alone never lets the WAL start over: SQLite restarts it only once every frame is in the database, and a writer
/// that keeps appending is always ahead of a passive checkpoint. So the WAL is let grow to
/// <see cref="RestartAfterBytes"/>, and then, at a moment the writer's queue is empty, the background makes a closing
/// pass that the writer does not wait for: when no commit lands during it, every frame is copied and the next commit
/// starts the WAL over. Only if such passes keep meeting commits until <see cref="WriterClosesAfterPages"/> does the
/// writer, when idle, copy what the last pass left itself (a short stall, fsyncs included), where SQLite's own
/// checkpoint stalls once per 1,000 pages. When the
/// writer has gone quiet, the background copies what is left within a second, so a quiet database is whole in its file.
/// Under load that never leaves the writer idle, SQLite's automatic checkpoint on the writer's connection
/// (<see cref="SafetyNetPages"/>) still bounds the WAL. Nothing here changes what a commit promises: every checkpoint is
/// SQLite's own, with the writer's synchronous setting.
/// </summary>
internal sealed partial class SqliteCheckpointer : IDisposable
{
    /// <summary>Pages appended to the WAL after which the background copies them (SQLite's own default mark).</summary>
    public const int BackgroundAfterPages = 1000;

    /// <summary>
    /// The least time from one background pass's start to the next while the WAL is shorter than
    /// <see cref="RestartAfterPages"/> (a closing pass is not held back). The writer rewrites the same pages over and over
    /// (the tails of the busy inboxes, conversations and indexes): in 1:1 <c>pairs</c> passes back to back copied 2.4 pages
    /// per message of the ~3 appended, passes 250 ms apart 1.2-1.5 (docs/benchmarks.md, "Checkpoint passes spaced").
    /// </summary>
    public static readonly TimeSpan MinPassInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The WAL length in bytes from which the idle writer closes it so that it starts over (64 MiB: 65,536 pages at the
    /// default 1 KiB, 16,384 at 4 KiB). The longer the WAL may grow under load, the fewer closing passes, which are not spaced.
    /// </summary>
    public const long RestartAfterBytes = 64L << 20;

    /// <summary>The WAL length in pages from which the idle writer closes it (<see cref="RestartAfterBytes"/>).</summary>
    public int RestartAfterPages { get; }

    /// <summary>
    /// The WAL length from which the idle writer closes the WAL itself, waiting for the copy: only when the background's
    /// closing passes kept meeting commits (each one lets the WAL start over only if nothing was committed during it,
    /// which under steady load never happens). From here the background starts no pass, so that the writer's next idle
    /// moment finds it free and the copy left to the writer is what the background's last pass did not reach.
    /// </summary>
    public int WriterClosesAfterPages => RestartAfterPages + RestartAfterPages / 8;

    /// <summary>The WAL length at which SQLite's automatic checkpoint runs in the writer's commit: only when the writer is never idle.</summary>
    public int SafetyNetPages => 2 * RestartAfterPages;

    // How often the background looks whether the writer went quiet with frames left in the WAL.
    private static readonly TimeSpan QuietCheckInterval = TimeSpan.FromSeconds(1);

    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;
    private readonly Lock _lock = new();
    // Pages the writer appended since the running (or last) background pass started: at most this many are not copied.
    private long _appendedSincePass;
    // The WAL's length in pages: what the last pass (or the writer's close) found, and what was appended since.
    private long _walPages;
    // A pass is due or running: set when woken, cleared when the background goes back to waiting.
    private bool _passRunning;
    // The background is copying now (not waiting out MinPassInterval): the writer must not start its own copy meanwhile.
    private bool _copying;
    // The last pass copied every frame and nothing was committed since (cleared by the next commit).
    private bool _copiedAll;
    // The writer's queue was empty after its last commit (cleared by its next commit).
    private bool _writerIdle;

    public SqliteCheckpointer(SqliteConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        using (var pageSize = connection.CreateCommand())
        {
            // The file's own page size: an existing database keeps the one it was created with.
            pageSize.CommandText = "PRAGMA page_size";
            RestartAfterPages = (int)(RestartAfterBytes / Convert.ToInt64(pageSize.ExecuteScalar(), CultureInfo.InvariantCulture));
        }
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
            _copiedAll = false;
            _appendedSincePass += pages;
            _walPages += pages;
            if (_passRunning || _appendedSincePass < BackgroundAfterPages) return;
            _passRunning = true;
        }
        Wake();
    }

    /// <summary>
    /// Called by the writer when its queue is empty. From <see cref="RestartAfterPages"/> the background is woken for a
    /// closing pass, which the writer does not wait for: if nothing is committed while it runs, it copies every frame and
    /// the next commit starts the WAL over; a commit meanwhile only means it is tried again at a later idle moment. Whether
    /// the writer should close the WAL itself now: only from <see cref="WriterClosesAfterPages"/>, with the background
    /// idle (it copies what was appended during the background's last pass), so that a writer never idle long enough for
    /// a whole pass still bounds its WAL without SQLite's in-commit checkpoint.
    /// </summary>
    public bool IdleCatchUpDue()
    {
        lock (_lock)
        {
            _writerIdle = true;
            if (_copying || _walPages < RestartAfterPages) return false;
            // The background's closing passes kept meeting commits: the writer copies what the last one left (what was
            // appended while it ran) itself.
            if (_walPages >= WriterClosesAfterPages) return true;
            if (_passRunning) return false;
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
            // Not complete (a reader still uses older frames): the writer tries again at a later idle moment.
            if (!complete) return;
            // The writer is idle: no transaction of its own reads through the WAL, so its next commit starts it over.
            _appendedSincePass = 0;
            _walPages = 0;
            _copiedAll = true;
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
        var lastPassStarted = 0L;
        while (true)
        {
            var quiet = false;
            try
            {
                if (!_wake.Wait(QuietCheckInterval, _stopping.Token))
                {
                    // Nothing woke it: when the writer has gone quiet with frames not yet copied, copy them now, so that a
                    // quiet database is whole in its file and the next commit starts the WAL over.
                    lock (_lock)
                    {
                        if (_passRunning || !_writerIdle || _walPages == 0 || _copiedAll) continue;
                        _passRunning = true;
                    }
                    quiet = true;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            while (!_stopping.IsCancellationRequested)
            {
                if (TimeToNextPass(lastPassStarted) is { } wait && _stopping.Token.WaitHandle.WaitOne(wait)) return;
                lock (_lock)
                {
                    if (!quiet && _walPages >= WriterClosesAfterPages)
                    {
                        // The writer closes the WAL at its next idle moment: a pass now would only hold it off. (A writer
                        // gone quiet has no next idle moment: then the background copies.)
                        _passRunning = false;
                        break;
                    }
                    _appendedSincePass = 0;
                    _copying = true;
                }
                lastPassStarted = Stopwatch.GetTimestamp();
                var result = Checkpoint(_connection, CheckpointBy.Background, _logger);
                lock (_lock) _copying = false;
                // Only the first pass after the quiet check is the quiet one: the writer may have woken since.
                quiet = false;
                // Busy: the writer's own checkpoint runs (its closing one, or the safety net); try again in a moment.
                if (result.Busy && _stopping.Token.WaitHandle.WaitOne(1)) return;
                lock (_lock)
                {
                    if (result.Busy) continue;
                    // The WAL's length as SQLite reports it, with what was committed during the pass. Every frame copied
                    // and nothing committed meanwhile does not mean the next commit starts the WAL over: a transaction the
                    // writer had begun before the pass ended still reads through the WAL, and its commit appends to it. So
                    // the length is taken from each pass rather than assumed zero; once the WAL has started over, the next
                    // pass reports its new length.
                    _walPages = result.LogFrames + _appendedSincePass;
                    _copiedAll = result.Complete && _appendedSincePass == 0;
                    // Still a mark behind (the writer appended that much during the pass): another pass, once its time comes.
                    if (_appendedSincePass >= BackgroundAfterPages) continue;
                    _passRunning = false;
                    break;
                }
            }
        }
    }

    // How long the next pass waits: what is left of MinPassInterval since the last one started, nothing for a closing pass.
    private TimeSpan? TimeToNextPass(long lastPassStarted)
    {
        lock (_lock)
        {
            if (_walPages >= RestartAfterPages) return null;
        }
        var wait = MinPassInterval - Stopwatch.GetElapsedTime(lastPassStarted);
        return wait > TimeSpan.Zero ? wait : null;
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

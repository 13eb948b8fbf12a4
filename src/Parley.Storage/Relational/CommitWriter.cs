using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Parley.Storage.Relational;

/// <summary>
/// The group-commit writer: one queue, one loop, one connection, many writes per transaction. Hot writes (sends, acks,
/// reads) queued one after another run as one <see cref="HotBatch"/>; a rare write runs alone, in queue order. A write's
/// task completes only after the transaction holding it commits. A transaction that meets a transient failure (a
/// deadlock, a lost connection, a plan gone stale) is retried whole, with a short backoff, for up to
/// <see cref="StorageOptions.TransientRetryTimeout"/>; one that fails otherwise is retried one write at a time, so that
/// one bad write fails alone.
/// Results are handed back by a loop of their own, in commit order, each caller's continuation running inline: the inbox
/// events the callers publish then reach a user's connections in seq order (a push out of order sends the connection back
/// to the store for a catch-up read), and the writer's loop never runs the callers' code.
/// </summary>
internal sealed partial class CommitWriter : IAsyncDisposable
{
    private readonly Channel<WriteOp> _queue;
    private readonly Func<CancellationToken, Task<WriterSession>> _connect;
    private readonly int _maxBatch;
    private readonly TimeSpan _retryTimeout;
    private readonly ILogger _logger;
    private readonly string? _faultFile;
    private readonly int _capacity;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    // Committed (or failed) writes, in commit order, for the completion loop.
    private readonly Channel<Completion[]> _completions = Channel.CreateUnbounded<Completion[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _completing;
    private WriterSession? _session;
    // When the oldest write of the running transaction was queued (a Stopwatch timestamp; 0 when none runs).
    private long _batchOldest;
    private volatile bool _failing;

    /// <summary>
    /// Opens the writer's session and starts its loop. The connection stays open while the writer runs: with SQLite it is
    /// also what keeps the WAL and its shared-memory file in place, without which the read-only connections cannot open.
    /// </summary>
    /// <param name="connect">Opens the writer's session; called again when its connection is lost.</param>
    /// <param name="options">Batch size, queue capacity, how long transient failures are retried.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<CommitWriter> StartAsync(Func<CancellationToken, Task<WriterSession>> connect, StorageOptions options, ILogger logger,
        CancellationToken cancellationToken) =>
        new(await connect(cancellationToken), connect, options, logger);

    private CommitWriter(WriterSession session, Func<CancellationToken, Task<WriterSession>> connect, StorageOptions options, ILogger logger)
    {
        _session = session;
        _connect = connect;
        _maxBatch = options.MaxBatchSize;
        _retryTimeout = options.TransientRetryTimeout;
        _faultFile = string.IsNullOrEmpty(options.FaultFile) ? null : options.FaultFile;
        _logger = logger;
        _capacity = options.WriteQueueCapacity;
        _queue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
        _completing = Task.Run(CompleteAsync);
    }

    /// <summary>Whether the loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Whether the last transaction failed and none has committed since (the database may be full or gone).</summary>
    public bool IsFailing => _failing;

    /// <summary>How pressed the writer is now.</summary>
    public StoreLoad Load
    {
        get
        {
            // The oldest write not yet committed: in the running transaction, else at the head of the queue.
            var oldest = Volatile.Read(ref _batchOldest);
            if (oldest == 0 && _queue.Reader.TryPeek(out var head)) oldest = head.QueuedAt;
            return new StoreLoad(_queue.Reader.Count, _capacity, oldest == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(oldest));
        }
    }

    /// <summary>Queues a write; waits while the queue is full.</summary>
    public ValueTask EnqueueAsync(WriteOp op, CancellationToken cancellationToken)
    {
        op.QueuedAt = Stopwatch.GetTimestamp();
        return _queue.Writer.TryWrite(op) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(op, cancellationToken);
    }

    /// <summary>Queues a rare write and waits for its commit.</summary>
    public Task<T> WriteAsync<T>(WriteOp<T> op, CancellationToken cancellationToken) => Committed(EnqueueAsync(op, cancellationToken), op.Task);

    /// <summary>Queues a hot write and waits for its commit.</summary>
    public Task<T> WriteAsync<T>(HotWriteOp<T> op, CancellationToken cancellationToken) => Committed(EnqueueAsync(op, cancellationToken), op.Task);

    // The queue almost always has room: then the write's own task is the caller's, without a state machine of its own per write.
    private static Task<T> Committed<T>(ValueTask enqueued, Task<T> committed) =>
        enqueued.IsCompletedSuccessfully ? committed : CommittedAfterAsync(enqueued, committed);

    private static async Task<T> CommittedAfterAsync<T>(ValueTask enqueued, Task<T> committed)
    {
        await enqueued;
        return await committed;
    }

    private async Task RunAsync()
    {
        var batch = new List<HotWriteOp>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            // The queue is FIFO: the first write of a transaction waited longest.
            if (!reader.TryPeek(out var head)) continue;
            Volatile.Write(ref _batchOldest, head.QueuedAt);
            if (head is HotWriteOp)
            {
                // Hot writes up to the next rare one: queue order between the two kinds is kept.
                while (batch.Count < _maxBatch && reader.TryPeek(out var next) && next is HotWriteOp hot && reader.TryRead(out _)) batch.Add(hot);
                await RunHotAsync(batch);
                batch.Clear();
            }
            else if (reader.TryRead(out var rare))
            {
                await RunRareAsync((RareWriteOp)rare);
            }
            Volatile.Write(ref _batchOldest, 0);
            if (reader.Count == 0) IdleSession();
        }
    }

    private Task RunHotAsync(IReadOnlyList<HotWriteOp> ops) => RunAsync(ops, HotTransaction);

    /// <summary>Nothing is queued: the session may do what would otherwise stall a commit (see <see cref="WriterSession.OnIdle"/>).</summary>
    private void IdleSession()
    {
        if (_session is not { IsUsable: true } session) return;
        try
        {
            session.OnIdle();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogIdleFailed(_logger, ex);
        }
    }

    private Task RunRareAsync(RareWriteOp op) => RunAsync([op], RareTransaction);

    /// <summary>A hot batch's transaction: prefetch, apply in memory, flush and commit.</summary>
    private Func<WriterSession, CancellationToken, Task> HotTransaction(IReadOnlyList<HotWriteOp> ops) => async (session, ct) =>
    {
        var batch = new HotBatch(ops);
        await session.PrefetchAsync(batch, ct);
        foreach (var op in ops) op.Apply(batch);
        ThrowIfFaultInjected();
        await session.FlushAndCommitAsync(batch, ct);
    };

    /// <summary>A rare write's transaction: its statements, then its inbox rows with their seqs, then the commit.</summary>
    private Func<WriterSession, CancellationToken, Task> RareTransaction(IReadOnlyList<RareWriteOp> ops) => async (session, ct) =>
    {
        var context = session.Context;
        context.Reset();
        context.CancellationToken = ct;
        await session.BeginAsync(ct);
        foreach (var op in ops) await op.ExecuteAsync(context);
        await context.WriteInboxAsync();
        ThrowIfFaultInjected();
        await session.CommitAsync(ct);
    };

    // Fault tests on machines that cannot mount a small file system: the commit fails as on a full disk.
    private void ThrowIfFaultInjected()
    {
        if (_faultFile is not null && File.Exists(_faultFile)) throw new IOException("injected store fault: " + _faultFile);
    }

    /// <summary>Runs one transaction of <paramref name="ops"/>, retrying it as the class says; completes or fails every op.</summary>
    private async Task RunAsync<TOp>(IReadOnlyList<TOp> ops, Func<IReadOnlyList<TOp>, Func<WriterSession, CancellationToken, Task>> transactionOf)
        where TOp : WriteOp
    {
        var transaction = transactionOf(ops);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            WriterSession? session = null;
            try
            {
                session = await SessionAsync();
                await transaction(session, _stopping.Token);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                if (session is not null) await session.RollbackAsync();
                // No session: connecting failed. A session whose connection broke is replaced before the next attempt.
                var transient = session is null ? TransientFailure.Connection
                    : session.Classify(ex) ?? (session.IsUsable ? null : TransientFailure.Connection);
                if (transient is not null && Stopwatch.GetElapsedTime(started) < _retryTimeout && !_stopping.IsCancellationRequested)
                {
                    StoreMetrics.Retries.Add(1, new KeyValuePair<string, object?>("reason", transient.Reason));
                    LogRetrying(_logger, ops.Count, transient.Reason, attempt, ex);
                    if (transient.Reconnect) await DropSessionAsync();
                    await BackoffAsync(attempt);
                    continue;
                }
                StoreMetrics.FailedCommits.Add(1);
                _failing = true;
                if (session is { IsUsable: false }) await DropSessionAsync();
                if (ops.Count == 1 || _stopping.IsCancellationRequested)
                {
                    LogWriteFailed(_logger, ops.Count, ex);
                    _completions.Writer.TryWrite(ops.Select(op => new Completion(op, ex)).ToArray());
                    return;
                }
                LogBatchFailed(_logger, ops.Count, ex);
                foreach (var op in ops) await RunAsync([op], transactionOf);
                return;
            }
            _failing = false;
            StoreMetrics.BatchSize.Record(ops.Count);
            StoreMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _completions.Writer.TryWrite(ops.Select(op => new Completion(op, null)).ToArray());
            return;
        }
    }

    /// <summary>Hands results back in commit order. A result that cannot be built fails that write alone (it is committed: never run again).</summary>
    private async Task CompleteAsync()
    {
        await foreach (var batch in _completions.Reader.ReadAllAsync())
        {
            foreach (var (op, error) in batch)
            {
                try
                {
                    if (error is null) op.Complete();
                    else op.Fail(error);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogCompleteFailed(_logger, ex);
                    op.Fail(ex);
                }
            }
        }
    }

    /// <summary>A write's outcome: committed (no error), or failed.</summary>
    private readonly record struct Completion(WriteOp Op, Exception? Error);

    private async Task<WriterSession> SessionAsync()
    {
        if (_session is { IsUsable: true } session) return session;
        await DropSessionAsync();
        // A lost connection (the database restarted) is replaced; a failure to connect is a transient failure of the transaction.
        return _session = await _connect(_stopping.Token);
    }

    private async Task DropSessionAsync()
    {
        if (_session is not { } session) return;
        _session = null;
        try
        {
            await session.DisposeAsync();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            // A broken connection may fail to close cleanly; it is gone either way.
        }
    }

    private async Task BackoffAsync(int attempt)
    {
        // 1, 2, 4, ... ms up to 100 ms, jittered so that two nodes retrying after a conflict do not meet again in step.
        var ceiling = Math.Min(100, 1 << Math.Min(attempt - 1, 7));
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(ceiling / 2.0 + Random.Shared.NextDouble() * ceiling / 2.0), _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next attempt fails the writes instead of retrying.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // Writes already queued are committed first; a transaction still retrying after the retry timeout gives up.
        if (await Task.WhenAny(_loop, Task.Delay(_retryTimeout)) != _loop) await _stopping.CancelAsync();
        await _loop;
        _completions.Writer.TryComplete();
        await _completing;
        await DropSessionAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "A store write failed ({Count} in its transaction)")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "A batch of {Count} writes failed; retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "The store writer's housekeeping between transactions failed")]
    private static partial void LogIdleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "The result of a committed store write could not be built")]
    private static partial void LogCompleteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "A transaction of {Count} writes met a transient failure ({Reason}); attempt {Attempt} is retried")]
    private static partial void LogRetrying(ILogger logger, int count, string reason, int attempt, Exception exception);
}

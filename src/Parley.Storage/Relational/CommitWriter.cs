using System.Threading.Channels;
using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Parley.Storage.Relational;

/// <summary>
/// The group-commit writer: one connection, one loop, many writes per transaction. A write's task
/// completes only after the transaction holding it commits. If a batch fails, its writes are retried one
/// per transaction so that one bad write cannot fail the others.
/// </summary>
internal sealed partial class CommitWriter : IAsyncDisposable
{
    private readonly Channel<WriteOp> _queue;
    private readonly Func<DbConnection> _connect;
    private DbConnection _connection;
    private WriteContext _context;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private readonly string? _faultFile;
    private readonly int _capacity;
    // When the oldest write of the running transaction was queued (a Stopwatch timestamp; 0 when none runs).
    private long _batchOldest;
    private volatile bool _failing;

    /// <param name="connect">Opens the writer's connection; called again when the connection is lost.</param>
    /// <param name="options">Batch size and queue capacity.</param>
    /// <param name="logger">Where failures are logged.</param>
    public CommitWriter(Func<DbConnection> connect, StorageOptions options, ILogger logger)
    {
        _connect = connect;
        _connection = connect();
        _context = new WriteContext(_connection);
        _maxBatch = options.MaxBatchSize;
        _faultFile = string.IsNullOrEmpty(options.FaultFile) ? null : options.FaultFile;
        _logger = logger;
        _capacity = options.WriteQueueCapacity;
        _queue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
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

    /// <summary>Queues a write and waits for its commit.</summary>
    public async Task<T> WriteAsync<T>(WriteOp<T> op, CancellationToken cancellationToken)
    {
        await EnqueueAsync(op, cancellationToken);
        return await op.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOp>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var op)) batch.Add(op);
            // The queue is FIFO: the first write of a batch waited longest.
            var oldest = batch[0].QueuedAt;
            Volatile.Write(ref _batchOldest, oldest);
            CommitBatch(batch);
            Volatile.Write(ref _batchOldest, 0);
            batch.Clear();
        }
    }

    private void CommitBatch(List<WriteOp> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            EnsureConnected();
            _context.Begin();
            foreach (var op in batch) op.Execute(_context);
            // Fault tests on machines that cannot mount a small file system: the commit fails as on a full disk.
            if (_faultFile is not null && File.Exists(_faultFile)) throw new IOException("injected store fault: " + _faultFile);
            _context.Commit();
            _failing = false;
            StoreMetrics.BatchSize.Record(batch.Count);
            StoreMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TryRollback();
            StoreMetrics.FailedCommits.Add(1);
            _failing = true;
            if (batch.Count == 1)
            {
                LogWriteFailed(_logger, ex);
                batch[0].Fail(ex);
                return;
            }
            LogBatchFailed(_logger, batch.Count, ex);
            foreach (var op in batch) CommitBatch([op]);
            return;
        }
        foreach (var op in batch) op.Complete();
    }

    private void EnsureConnected()
    {
        if (_connection.State == System.Data.ConnectionState.Open) return;
        // A lost connection (the database restarted) is replaced; the writes of the failed batch were failed.
        _context.Dispose();
        _connection.Dispose();
        _connection = _connect();
        _context = new WriteContext(_connection);
    }

    private void TryRollback()
    {
        try
        {
            _context.Rollback();
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The connection broke with the transaction; EnsureConnected replaces it before the next batch.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _context.Dispose();
        await _connection.DisposeAsync();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "A store write failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "A batch of {Count} writes failed; retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);
}

using System.Threading.Channels;
using System.Data.Common;
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
        _queue = Channel.CreateBounded<WriteOp>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Whether the loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Queues a write; waits while the queue is full.</summary>
    public ValueTask EnqueueAsync(WriteOp op, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(op) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(op, cancellationToken);

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
            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<WriteOp> batch)
    {
        try
        {
            EnsureConnected();
            _context.Begin();
            foreach (var op in batch) op.Execute(_context);
            // Fault tests on machines that cannot mount a small file system: the commit fails as on a full disk.
            if (_faultFile is not null && File.Exists(_faultFile)) throw new IOException("injected store fault: " + _faultFile);
            _context.Commit();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            TryRollback();
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

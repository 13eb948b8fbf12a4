using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The group-commit writer: one connection, one loop, many writes per transaction. A write's task
/// completes only after the transaction holding it commits. If a batch fails, its writes are retried one
/// per transaction so that one bad write cannot fail the others.
/// </summary>
internal sealed partial class SqliteCommitWriter : IAsyncDisposable
{
    private readonly Channel<SqliteWriteOp> _queue;
    private readonly SqliteConnection _connection;
    private readonly SqliteWriteContext _context;
    private readonly int _maxBatch;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SqliteCommitWriter(SqliteConnection connection, StorageOptions options, ILogger logger)
    {
        _connection = connection;
        _context = new SqliteWriteContext(connection);
        _maxBatch = options.MaxBatchSize;
        _logger = logger;
        _queue = Channel.CreateBounded<SqliteWriteOp>(new BoundedChannelOptions(options.WriteQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Whether the loop is still running.</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Queues a write; waits while the queue is full.</summary>
    public ValueTask EnqueueAsync(SqliteWriteOp op, CancellationToken cancellationToken) =>
        _queue.Writer.TryWrite(op) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(op, cancellationToken);

    /// <summary>Queues a write and waits for its commit.</summary>
    public async Task<T> WriteAsync<T>(SqliteWriteOp<T> op, CancellationToken cancellationToken)
    {
        await EnqueueAsync(op, cancellationToken);
        return await op.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<SqliteWriteOp>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var op)) batch.Add(op);
            CommitBatch(batch);
            batch.Clear();
        }
    }

    private void CommitBatch(List<SqliteWriteOp> batch)
    {
        try
        {
            _context.Begin();
            foreach (var op in batch) op.Execute(_context);
            _context.Commit();
        }
        catch (SqliteException ex)
        {
            _context.Rollback();
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

namespace Parley.Storage.Relational;

/// <summary>
/// One write queued for the group-commit writer. A write may run more than once (a batch that meets a transient error
/// is retried whole, and a batch that fails otherwise is retried one write at a time), so it keeps no state between
/// runs except what its last run produced; its result is published only after the commit.
/// </summary>
internal abstract class WriteOp
{
    /// <summary>When the write was queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for the commit lag.</summary>
    public long QueuedAt { get; set; }

    /// <summary>Publishes the result of the last run; called once its transaction has committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

/// <summary>
/// A rare write (group changes, retention, sweeps, accounts, media, presence): its statements run one after another in
/// a transaction of its own, through <see cref="WriteContext"/>. Inbox events it appends take their seqs when its
/// transaction ends, like those of a hot batch (see <see cref="InboxAppends"/>).
/// </summary>
internal abstract class RareWriteOp : WriteOp
{
    public abstract Task ExecuteAsync(WriteContext context);
}

/// <summary>A rare write with a result of type <typeparamref name="T"/>.</summary>
internal abstract class WriteOp<T> : RareWriteOp
{
    // Continuations run inline: the writer completes writes one after another on its completion loop, so the callers
    // publish their inbox events in commit order (see CommitWriter).
    private readonly TaskCompletionSource<T> _completion = new();
    private T? _result;

    public Task<T> Task => _completion.Task;

    public sealed override async Task ExecuteAsync(WriteContext context) => _result = await RunAsync(context);

    protected abstract Task<T> RunAsync(WriteContext context);

    public sealed override void Complete() => _completion.TrySetResult(_result!);

    public sealed override void Fail(Exception exception) => _completion.TrySetException(exception);
}

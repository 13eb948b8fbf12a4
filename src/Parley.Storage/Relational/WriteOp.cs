namespace Parley.Storage.Relational;

/// <summary>
/// One write carried out inside a group-commit transaction. <see cref="Execute"/> may run more than
/// once (a failed batch is retried one write per transaction), so it keeps no state between runs
/// except its result; the result is published only after the commit.
/// </summary>
internal abstract class WriteOp
{
    /// <summary>When the write was queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp), for the commit lag.</summary>
    public long QueuedAt { get; set; }

    public abstract void Execute(WriteContext context);

    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

/// <summary>A write with a result of type <typeparamref name="T"/>.</summary>
internal abstract class WriteOp<T> : WriteOp
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Task => _completion.Task;

    public sealed override void Execute(WriteContext context) => _result = Run(context);

    protected abstract T Run(WriteContext context);

    public sealed override void Complete() => _completion.TrySetResult(_result!);

    public sealed override void Fail(Exception exception) => _completion.TrySetException(exception);
}

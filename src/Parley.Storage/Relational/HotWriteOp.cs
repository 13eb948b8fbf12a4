namespace Parley.Storage.Relational;

/// <summary>
/// A hot write (a send, an ack, a read): it runs in a batch with the others queued beside it, in three phases that
/// touch the database twice per batch, not once per statement (see <see cref="HotBatch"/>). <see cref="Declare"/> says
/// which rows it needs read; <see cref="Apply"/> decides in memory, against what was read and what the writes before it
/// in the batch did, and records the rows to write; <see cref="Result"/> is built once the batch's seqs are known.
/// This is where a new check on the send path goes: it reads what <see cref="Declare"/> asked for.
/// </summary>
internal abstract class HotWriteOp : WriteOp
{
    public abstract void Declare(HotBatch batch);

    public abstract void Apply(HotBatch batch);
}

/// <summary>A hot write with a result of type <typeparamref name="T"/>.</summary>
internal abstract class HotWriteOp<T> : HotWriteOp
{
    // Continuations run inline: the writer completes writes one after another on its completion loop, so the callers
    // publish their inbox events in commit order (see CommitWriter).
    private readonly TaskCompletionSource<T> _completion = new();

    public Task<T> Task => _completion.Task;

    /// <summary>The result of the last <see cref="HotWriteOp.Apply"/>, the batch's seqs assigned.</summary>
    protected abstract T Result();

    public sealed override void Complete() => _completion.TrySetResult(Result());

    public sealed override void Fail(Exception exception) => _completion.TrySetException(exception);
}

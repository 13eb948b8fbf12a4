using System.Data.Common;

namespace Parley.Storage.Relational;

/// <summary>
/// The writer's connection and the part of its work whose SQL differs between databases: reading and flushing a hot
/// batch (<see cref="HotBatch"/>), giving a transaction's inbox rows their seqs, beginning and ending transactions, and
/// telling a transient failure (worth retrying the whole transaction) from one that fails its writes.
/// </summary>
internal abstract class WriterSession : IAsyncDisposable
{
    protected WriterSession(DbConnection connection)
    {
        Connection = connection;
        Context = new WriteContext(this);
    }

    public DbConnection Connection { get; }

    /// <summary>The context rare writes run their statements through, on this connection.</summary>
    public WriteContext Context { get; }

    /// <summary>Whether the connection can still be used (a lost one is replaced before the next transaction).</summary>
    public virtual bool IsUsable => Connection.State == System.Data.ConnectionState.Open;

    /// <summary>See <see cref="WriteContext.ForUpdate"/>.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>
    /// Whether a direct message's inbox rows are found by the seqs kept with it (<c>messages.sender_seq</c>,
    /// <c>recipient_seq</c>: SQLite) rather than by an index on the inbox's <c>(conv, n)</c> (PostgreSQL). See
    /// <see cref="MessageEntries"/>.
    /// </summary>
    public virtual bool FindsDirectEntriesBySeq => false;

    /// <summary>The open transaction, for databases whose commands must name it (null otherwise).</summary>
    public abstract DbTransaction? Transaction { get; }

    public abstract Task BeginAsync(CancellationToken cancellationToken);

    public abstract Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Rolls back the open transaction, if any; a broken connection is left for <see cref="IsUsable"/> to report.</summary>
    public abstract Task RollbackAsync();

    /// <summary>Begins the batch's transaction and reads (and locks) what its writes declared.</summary>
    public abstract Task PrefetchAsync(HotBatch batch, CancellationToken cancellationToken);

    /// <summary>Writes what the batch's writes recorded, gives its inbox rows their seqs, and commits.</summary>
    public abstract Task FlushAndCommitAsync(HotBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the inbox heads of the users <paramref name="inbox"/> writes to (locked in username order) and writes its rows
    /// with their seqs; rows of users without a live account are dropped. Part of a rare write's transaction.
    /// </summary>
    public abstract Task WriteInboxAsync(InboxAppends inbox, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is worth retrying the whole transaction for (a deadlock, a lost connection, ...).</summary>
    public abstract TransientFailure? Classify(Exception exception);

    /// <summary>Counts a statement of a rare write (<see cref="WriteContext"/>) where the session reports them.</summary>
    public virtual void StatementRun()
    {
    }

    /// <summary>
    /// Called by the writer loop between transactions when no write is queued: a moment for housekeeping that would
    /// otherwise stall a commit (SQLite: finishing a WAL checkpoint). Whatever runs here delays a write that arrives meanwhile.
    /// </summary>
    public virtual void OnIdle()
    {
    }

    /// <summary>Disposes the session's own prepared statements.</summary>
    protected virtual void DisposeStatements()
    {
    }

    public async ValueTask DisposeAsync()
    {
        Context.DisposeCommands();
        DisposeStatements();
        await Connection.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>Why a transaction is retried: a metric tag, and whether the connection must be replaced first.</summary>
internal sealed record TransientFailure(string Reason, bool Reconnect)
{
    /// <summary>Two transactions waited for each other (40P01) or could not be serialised (40001).</summary>
    public static readonly TransientFailure Conflict = new("conflict", false);

    /// <summary>The connection broke, or the database is restarting.</summary>
    public static readonly TransientFailure Connection = new("connection", true);

    /// <summary>
    /// What the batch read changed before it wrote (a concurrent send of the same cid, an account deleted meanwhile): the
    /// retry reads again.
    /// </summary>
    public static readonly TransientFailure Stale = new("stale", false);
}

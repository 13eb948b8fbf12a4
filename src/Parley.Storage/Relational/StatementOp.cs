namespace Parley.Storage.Relational;

/// <summary>
/// A write of one statement that reads nothing first and appends no inbox event (last seen, privacy, a device created or
/// revoked): it rides in the next hot batch's flush instead of costing a transaction (and, on PostgreSQL, a commit) of
/// its own. It changes one row of <paramref name="table"/>, the one keyed <paramref name="key"/>: the flush runs it in
/// that table's place in the global lock order. Its result is made from the number of rows the statement changed.
/// </summary>
internal sealed class StatementOp<T>(StatementTable table, string key, string sql, object?[] args, Func<int, T> result) : HotWriteOp<T>
{
    private BatchStatement? _statement;

    public override void Declare(HotBatch batch)
    {
    }

    public override void Apply(HotBatch batch)
    {
        _statement = new BatchStatement(sql, args, table, key);
        batch.Statements.Add(_statement);
    }

    protected override T Result() => result(_statement!.RowsAffected);
}

/// <summary>
/// A statement a batch runs at its flush; parameters @p0, @p1, ... are <paramref name="Args"/>. It changes the row of
/// <paramref name="Table"/> keyed <paramref name="Key"/> (a device id, a username).
/// </summary>
internal sealed record BatchStatement(string Sql, object?[] Args, StatementTable Table, string Key)
{
    public int RowsAffected { get; set; }
}

/// <summary>The tables a <see cref="StatementOp{T}"/> may change, each with its place in the global lock order (see <see cref="HotBatch"/>).</summary>
internal enum StatementTable
{
    /// <summary>After members, locked with the devices the batch's acks move.</summary>
    Devices,

    /// <summary>After the inbox heads (as deleting an account changes its users row last).</summary>
    Users,

    /// <summary>Last of all: nothing else a transaction does locks a contacts row.</summary>
    Contacts,
}

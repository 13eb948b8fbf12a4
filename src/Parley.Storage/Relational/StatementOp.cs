namespace Parley.Storage.Relational;

/// <summary>
/// A write of one statement that reads nothing first and appends no inbox event (last seen, privacy, a device created or
/// revoked): it rides in the next hot batch's flush instead of costing a transaction (and, on PostgreSQL, a commit) of
/// its own. Its result is made from the number of rows the statement changed.
/// </summary>
internal sealed class StatementOp<T>(string sql, object?[] args, Func<int, T> result) : HotWriteOp<T>
{
    private BatchStatement? _statement;

    public override void Declare(HotBatch batch)
    {
    }

    public override void Apply(HotBatch batch)
    {
        _statement = new BatchStatement(sql, args);
        batch.Statements.Add(_statement);
    }

    protected override T Result() => result(_statement!.RowsAffected);
}

/// <summary>A statement a batch runs at its flush; parameters @p0, @p1, ... are <paramref name="Args"/>.</summary>
internal sealed record BatchStatement(string Sql, object?[] Args)
{
    public int RowsAffected { get; set; }
}

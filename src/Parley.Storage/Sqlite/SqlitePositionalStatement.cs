using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Storage.Sqlite;

/// <summary>
/// A statement prepared on the writer's connection and bound by position (<c>?1, ?2, ...</c>) through SQLite's own API.
/// Microsoft.Data.Sqlite binds every parameter by name on every execution, and SQLite looks each name up in a linear
/// list: for the writer's multi-row inserts (hundreds of parameters) that was quadratic, ~3.7 % of a profile's samples.
/// It runs in whatever transaction the connection has open.
/// </summary>
internal sealed class SqlitePositionalStatement : IDisposable
{
    private const int SqliteRow = 100;
    private const int SqliteDone = 101;

    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    public SqlitePositionalStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    /// <summary>Binds <paramref name="value"/> to parameter <paramref name="index"/> (from 1): null, a long, a string or bytes.</summary>
    public void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(_statement, index),
            long l => raw.sqlite3_bind_int64(_statement, index, l),
            int i => raw.sqlite3_bind_int64(_statement, index, i),
            string s => raw.sqlite3_bind_text(_statement, index, s),
            // An empty span would bind NULL: a zero-length blob is what an empty body is.
            byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(_statement, index, 0),
            byte[] b => raw.sqlite3_bind_blob(_statement, index, b),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name}", nameof(value)),
        };
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
    }

    /// <summary>Runs the statement to its end (it returns no rows) and makes it ready for the next bindings.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        // Reset ends the statement's run (the bindings stay; all of them are replaced before the next one). After a failed
        // step it returns the same error, which the connection's message still describes.
        raw.sqlite3_reset(_statement);
        if (rc != SqliteDone) SqliteException.ThrowExceptionForRC(rc == SqliteRow ? raw.SQLITE_MISUSE : rc, _connection.Handle);
    }

    public void Dispose() => _statement.Dispose();
}

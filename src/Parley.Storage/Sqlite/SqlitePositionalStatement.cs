using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Parley.Storage.Sqlite;

/// <summary>
/// A statement prepared on the writer's connection and bound by position (<c>?1, ?2, ...</c>; <c>@p0, @p1, ...</c> in the
/// text given are rewritten to <c>?1, ?2, ...</c>) through SQLite's own API, its rows read the same way.
/// Microsoft.Data.Sqlite binds every parameter by name on every execution, and SQLite looks each name up in a linear
/// list: for the writer's multi-row inserts (hundreds of parameters) that was quadratic, ~3.7 % of a profile's samples.
/// And it allocates on every execution (a binder per parameter, each string's UTF-8 bytes, a data reader with its
/// dictionaries): about a third of what a light message allocated was the writer's statements, and at ~20 KB per message
/// the server ran ~19 gen0 collections a second, each pausing every thread for ~1.4 ms. Here a run allocates nothing
/// but the strings it reads. It runs in whatever transaction the connection has open.
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
        var rc = raw.sqlite3_prepare_v2(connection.Handle, Positional(sql), out _statement);
        SqliteException.ThrowExceptionForRC(rc, connection.Handle);
    }

    // @p0, @p1, ... become ?1, ?2, ...: a ?NNN parameter's index is NNN, whatever order the text names them in.
    private static string Positional(string sql) =>
        Regex.Replace(sql, @"@p(\d+)", m => "?" + (int.Parse(m.Groups[1].ValueSpan, provider: System.Globalization.CultureInfo.InvariantCulture) + 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Binds <paramref name="value"/> to parameter <paramref name="index"/> (from 1): null, a long, a string or bytes.</summary>
    public void Bind(int index, object? value)
    {
        var rc = value switch
        {
            null => raw.sqlite3_bind_null(_statement, index),
            long l => raw.sqlite3_bind_int64(_statement, index, l),
            int i => raw.sqlite3_bind_int64(_statement, index, i),
            // UTF-16 straight from the string (SQLite copies it): no UTF-8 array per binding.
            string s => raw.sqlite3_bind_text16(_statement, index, s.AsSpan()),
            // An empty span would bind NULL: a zero-length blob is what an empty body is.
            byte[] { Length: 0 } => raw.sqlite3_bind_zeroblob(_statement, index, 0),
            byte[] b => raw.sqlite3_bind_blob(_statement, index, b),
            _ => throw new ArgumentException($"cannot bind a {value.GetType().Name}", nameof(value)),
        };
        Check(rc);
    }

    // Typed bindings for the writer's hot statements: no boxing, no argument array.
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) => Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);

    /// <summary>Runs the statement to its end (it returns no rows) and makes it ready for the next bindings.</summary>
    public void Execute()
    {
        var rc = raw.sqlite3_step(_statement);
        // Reset ends the statement's run (the bindings stay; all of them are replaced before the next one). After a failed
        // step it returns the same error, which the connection's message still describes.
        raw.sqlite3_reset(_statement);
        if (rc != SqliteDone) SqliteException.ThrowExceptionForRC(rc == SqliteRow ? raw.SQLITE_MISUSE : rc, _connection.Handle);
    }

    /// <summary>
    /// Steps to the statement's next row: false at its end, which also makes it ready for the next bindings. A caller that
    /// stops before the end calls <see cref="Reset"/>.
    /// </summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == SqliteRow) return true;
        raw.sqlite3_reset(_statement);
        if (rc != SqliteDone) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return false;
    }

    /// <summary>Ends the statement's run, read to its end or not (again is harmless).</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    // The current row's columns, from 0, named as SqliteDataReader names them.
    public bool IsDBNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public string GetString(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public void Dispose() => _statement.Dispose();
}

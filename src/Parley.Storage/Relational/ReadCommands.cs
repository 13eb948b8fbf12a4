using System.Data.Common;

namespace Parley.Storage.Relational;

/// <summary>How the queries run a statement on a read connection: parameters @p0, @p1, ... bound in order.</summary>
internal static class ReadCommands
{
    public static DbCommand Command(DbConnection connection, string sql, params object?[] args)
    {
        var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameter.Value = args[i] ?? DBNull.Value;
            cmd.Parameters.Add(parameter);
        }
        return cmd;
    }

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params object?[] args)
    {
        await using var cmd = Command(connection, sql, args);
        var value = await cmd.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Every row of the statement, mapped by <paramref name="map"/>.</summary>
    public static async Task<List<T>> ListAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        params object?[] args)
    {
        await using var cmd = Command(connection, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) list.Add(map(reader));
        return list;
    }

    /// <summary>The first row mapped by <paramref name="map"/>, or the default when there is none.</summary>
    public static async Task<T?> FirstAsync<T>(DbConnection connection, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken,
        params object?[] args)
    {
        await using var cmd = Command(connection, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : default;
    }
}

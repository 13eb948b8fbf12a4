using System.Data.Common;
using Parley.Core.Inbox;

namespace Parley.Storage.Relational;

/// <summary>
/// What a rare write (<see cref="WriteOp{T}"/>) runs its statements through: the writer connection's prepared
/// statements, bound to the open transaction, and the inbox events it appends (they take their seqs when the
/// transaction ends). Used only from the writer loop.
/// </summary>
internal sealed class WriteContext(WriterSession session)
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly List<PendingInboxRow> _untaken = [];
    private readonly List<PendingWrites> _handedOut = [];

    /// <summary>The events appended in this transaction.</summary>
    public InboxAppends Inbox { get; } = new();

    /// <summary>Cancelled when the writer stops.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// The clause that locks the rows a <c>SELECT</c> reads until the transaction ends (PostgreSQL); empty where one
    /// writer is all there is (SQLite). Rare writes that read a row before changing it lock it this way.
    /// </summary>
    public string ForUpdate => session.ForUpdate;

    /// <summary>See <see cref="WriterSession.FindsDirectEntriesBySeq"/>.</summary>
    public bool FindsDirectEntriesBySeq => session.FindsDirectEntriesBySeq;

    /// <summary>Forgets the previous transaction's events.</summary>
    public void Reset()
    {
        Inbox.Clear();
        _untaken.Clear();
        _handedOut.Clear();
    }

    /// <summary>The events appended since the last call, to be published after the commit (filled in once they have seqs).</summary>
    public IReadOnlyList<InboxWrite> TakeWrites()
    {
        var writes = new PendingWrites([.. _untaken]);
        _untaken.Clear();
        _handedOut.Add(writes);
        return writes;
    }

    /// <summary>Gives the appended events their seqs and writes them; the last step before the commit.</summary>
    public async Task WriteInboxAsync()
    {
        if (!Inbox.IsEmpty) await session.WriteInboxAsync(Inbox, CancellationToken);
        foreach (var writes in _handedOut) writes.Seal();
    }

    /// <summary>Appends an event to <paramref name="user"/>'s inbox; it takes the user's next seq when the transaction ends.</summary>
    public void AppendInbox(string user, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status, string? data = null) =>
        _untaken.Add(Inbox.Append(user, kind, conv, n, actor, status, data));

    /// <summary>Appends the same event to the inbox of each of <paramref name="users"/> (distinct).</summary>
    public void AppendInboxMany(IEnumerable<string> users, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        string? data = null)
    {
        // Sorted so that the events published after the commit come in a stable order.
        foreach (var user in users.Order(StringComparer.Ordinal)) AppendInbox(user, kind, conv, n, actor, status, data);
    }

    /// <summary>A prepared statement bound to the open transaction, its parameters @p0, @p1, ... set to <paramref name="args"/>.</summary>
    public DbCommand Command(string sql, params object?[] args)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = session.Connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < args.Length; i++)
            {
                var parameter = cmd.CreateParameter();
                // With its '@' the name is bound directly; without, Microsoft.Data.Sqlite tries each prefix on every execution.
                parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                cmd.Parameters.Add(parameter);
            }
            _commands[sql] = cmd;
        }
        cmd.Transaction = session.Transaction;
        for (var i = 0; i < args.Length; i++) cmd.Parameters[i].Value = args[i] ?? DBNull.Value;
        session.StatementRun();
        return cmd;
    }

    public Task<int> ExecuteAsync(string sql, params object?[] args) => Command(sql, args).ExecuteNonQueryAsync(CancellationToken);

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public async Task<object?> ScalarAsync(string sql, params object?[] args)
    {
        var value = await Command(sql, args).ExecuteScalarAsync(CancellationToken);
        return value is DBNull ? null : value;
    }

    /// <summary>Every row of the statement, mapped by <paramref name="map"/>.</summary>
    public async Task<List<T>> ListAsync<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        await using var reader = await Command(sql, args).ExecuteReaderAsync(CancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(CancellationToken)) list.Add(map(reader));
        return list;
    }

    /// <summary>The first row mapped by <paramref name="map"/>, or the default when there is none.</summary>
    public async Task<T?> FirstAsync<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        await using var reader = await Command(sql, args).ExecuteReaderAsync(CancellationToken);
        return await reader.ReadAsync(CancellationToken) ? map(reader) : default;
    }

    /// <summary>Whether a live account has this name (a deleted account's name stays taken but is not a user).</summary>
    public async Task<bool> UserExistsAsync(string username) =>
        await ScalarAsync("SELECT 1 FROM inbox_heads WHERE username = @p0", username) is not null;

    public async Task<bool> HasMessagesFromAsync(string conv, string sender, long afterN, long upToN) =>
        await ScalarAsync("SELECT 1 FROM messages WHERE conv = @p0 AND n > @p1 AND n <= @p2 AND sender = @p3 LIMIT 1", conv, afterN, upToN, sender) is not null;

    /// <summary>The statements prepared on a connection that is going away.</summary>
    public void DisposeCommands()
    {
        foreach (var cmd in _commands.Values) cmd.Dispose();
        _commands.Clear();
    }
}

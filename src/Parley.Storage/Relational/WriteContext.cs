using System.Data.Common;
using Parley.Core.Conversations;
using Parley.Core.Inbox;

namespace Parley.Storage.Relational;

/// <summary>
/// The writer connection's prepared statements and the row-level steps that several writes share
/// (appending to an inbox, moving markers). Used only from the writer loop.
/// </summary>
internal sealed class WriteContext : IDisposable
{
    private readonly DbConnection _connection;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private DbTransaction? _transaction;

    // PostgreSQL takes a whole fan-out in one statement (arrays unnested server-side); for SQLite, in process,
    // a loop of prepared statements costs no round trips.
    private readonly bool _arrays;

    public WriteContext(DbConnection connection)
    {
        _connection = connection;
        _arrays = connection is Npgsql.NpgsqlConnection;
    }

    private readonly List<InboxWrite> _writes = [];

    /// <summary>The inbox entries written since the last call, to be published after the commit.</summary>
    public IReadOnlyList<InboxWrite> TakeWrites()
    {
        if (_writes.Count == 0) return [];
        var writes = _writes.ToArray();
        _writes.Clear();
        return writes;
    }

    public void Begin()
    {
        _writes.Clear();
        _transaction = _connection.BeginTransaction();
    }

    public void Commit()
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
    }

    public void Rollback()
    {
        if (_transaction is null) return;
        try
        {
            _transaction.Rollback();
        }
        finally
        {
            _transaction.Dispose();
            _transaction = null;
        }
    }

    /// <summary>A prepared statement bound to the open transaction, its parameters @p0, @p1, ... set to <paramref name="args"/>.</summary>
    public DbCommand Command(string sql, params object?[] args)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = _connection.CreateCommand();
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
        cmd.Transaction = _transaction;
        for (var i = 0; i < args.Length; i++) cmd.Parameters[i].Value = args[i] ?? DBNull.Value;
        return cmd;
    }

    public int Execute(string sql, params object?[] args) => Command(sql, args).ExecuteNonQuery();

    public object? Scalar(string sql, params object?[] args) => Command(sql, args).ExecuteScalar();

    /// <summary>Whether a live account has this name (a deleted account's name stays taken but is not a user).</summary>
    public bool UserExists(string username) =>
        Scalar("SELECT 1 FROM users WHERE username = @p0 AND deleted_at IS NULL", username) is not null;

    /// <summary>Appends an event to <paramref name="user"/>'s inbox, taking the next seq.</summary>
    public InboxEntry AppendInbox(string user, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        return InsertInbox(user, TakeInboxSeq(user), kind, conv, n, actor, status, message, data);
    }

    /// <summary>Moves <paramref name="user"/>'s inbox head and returns the seq taken; the row is written with <see cref="InsertInbox"/>.</summary>
    public long TakeInboxSeq(string user) =>
        (long)Scalar("UPDATE users SET inbox_head = inbox_head + 1 WHERE username = @p0 RETURNING inbox_head", user)!;

    /// <summary>Writes an inbox row whose seq was already taken.</summary>
    public InboxEntry InsertInbox(string user, long seq, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        Execute("INSERT INTO inbox(username, seq, kind, conv, n, actor, status, data) VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
            user, seq, (int)kind, conv, n, actor, status is null ? null : (int)status, data);
        var entry = new InboxEntry(seq, kind, conv, n, actor, status, message, data);
        _writes.Add(new InboxWrite(user, entry));
        return entry;
    }

    /// <summary>Appends the same event to the inbox of each of <paramref name="users"/> (distinct), each taking its next seq.</summary>
    public void AppendInboxMany(IReadOnlyCollection<string> users, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        if (!_arrays)
        {
            foreach (var user in users) AppendInbox(user, kind, conv, n, actor, status, message, data);
            return;
        }
        var seqs = new List<(string User, long Seq)>(users.Count);
        using (var reader = Command("UPDATE users SET inbox_head = inbox_head + 1 WHERE username = ANY(@p0) RETURNING username, inbox_head",
            (object)users.ToArray()).ExecuteReader()) // one array parameter, not params spread
        {
            while (reader.Read()) seqs.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        InsertInboxMany(seqs, kind, conv, n, actor, status, message, data);
    }

    /// <summary>Writes one inbox row per (user, seq) whose seqs were already taken, all for the same event.</summary>
    public void InsertInboxMany(List<(string User, long Seq)> rows, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        // Sorted so that the events published after the commit come in a stable order.
        rows.Sort((a, b) => string.CompareOrdinal(a.User, b.User));
        if (!_arrays)
        {
            foreach (var (user, seq) in rows) InsertInbox(user, seq, kind, conv, n, actor, status, message, data);
            return;
        }
        var users = new string[rows.Count];
        var seqs = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++) (users[i], seqs[i]) = rows[i];
        Execute(
            "INSERT INTO inbox(username, seq, kind, conv, n, actor, status, data) SELECT u, s, @p2, @p3, @p4, @p5, @p6, @p7 FROM unnest(@p0::text[], @p1::bigint[]) AS t(u, s)",
            users, seqs, (int)kind, conv, n, actor, status is null ? null : (int)status, data);
        foreach (var (user, seq) in rows) _writes.Add(new InboxWrite(user, new InboxEntry(seq, kind, conv, n, actor, status, message, data)));
    }

    /// <summary>
    /// Moves <paramref name="user"/>'s delivered and/or read marker in <paramref name="conv"/> forward (never back;
    /// read pulls delivered along). In a direct conversation it writes the receipts the other participant is
    /// owed; in a group, receipts are aggregated later. True when a marker moved.
    /// </summary>
    public bool AdvanceMarkers(string user, string conv, long deliveredUpTo, long readUpTo)
    {
        using var reader = Command("SELECT delivered_n, read_n FROM members WHERE conv = @p0 AND username = @p1", conv, user).ExecuteReader();
        if (!reader.Read()) return false;
        var (oldDelivered, oldRead) = (reader.GetInt64(0), reader.GetInt64(1));
        reader.Close();

        var newDelivered = Math.Max(oldDelivered, Math.Max(deliveredUpTo, readUpTo));
        var newRead = Math.Max(oldRead, readUpTo);
        if (newDelivered == oldDelivered && newRead == oldRead) return false;
        Execute("UPDATE members SET delivered_n = @p2, read_n = @p3 WHERE conv = @p0 AND username = @p1", conv, user, newDelivered, newRead);

        if (!ConversationId.TryParse(conv, out var id)) return true;
        var other = id.Value.OtherThan(user);
        if (other == user) return true;
        // Receipts are owed only when the newly covered range holds something the other participant sent.
        if (newDelivered > oldDelivered && HasMessagesFrom(conv, other, oldDelivered, newDelivered))
        {
            AppendInbox(other, InboxEntryKind.Receipt, conv, newDelivered, user, ReceiptStatus.Delivered, null);
        }
        if (newRead > oldRead && HasMessagesFrom(conv, other, oldRead, newRead))
        {
            AppendInbox(other, InboxEntryKind.Receipt, conv, newRead, user, ReceiptStatus.Read, null);
        }
        return true;
    }

    public bool HasMessagesFrom(string conv, string sender, long afterN, long upToN) =>
        Scalar("SELECT 1 FROM messages WHERE conv = @p0 AND n > @p1 AND n <= @p2 AND sender = @p3 LIMIT 1", conv, afterN, upToN, sender) is not null;

    public void Dispose()
    {
        Rollback();
        foreach (var cmd in _commands.Values) cmd.Dispose();
        _commands.Clear();
    }
}

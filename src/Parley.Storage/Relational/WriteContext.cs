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
        var seqs = new List<(string User, long Seq)>(users.Count);
        if (!_arrays)
        {
            foreach (var user in users) seqs.Add((user, TakeInboxSeq(user)));
            InsertInboxMany(seqs, kind, conv, n, actor, status, message, data);
            return;
        }
        using (var reader = Command("UPDATE users SET inbox_head = inbox_head + 1 WHERE username = ANY(@p0) RETURNING username, inbox_head",
            (object)users.ToArray()).ExecuteReader()) // one array parameter, not params spread
        {
            while (reader.Read()) seqs.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        InsertInboxMany(seqs, kind, conv, n, actor, status, message, data);
    }

    /// <summary>
    /// Takes the next seq of a direct message's sender and of its recipient in one statement, which takes none when the
    /// recipient is not a live account: false then, and nothing was written. Adds (user, seq) to <paramref name="seqs"/>,
    /// the sender first.
    /// </summary>
    public bool TakeDirectSeqs(string sender, string recipient, List<(string User, long Seq)> seqs)
    {
        long senderSeq = 0, recipientSeq = 0;
        var rows = 0;
        using (var reader = Command(
            """
            UPDATE users SET inbox_head = inbox_head + 1
            WHERE username IN (@p0, @p1) AND (SELECT deleted_at IS NULL FROM users WHERE username = @p1)
            RETURNING username, inbox_head
            """, sender, recipient).ExecuteReader())
        {
            while (reader.Read())
            {
                rows++;
                if (reader.GetString(0) == sender) senderSeq = reader.GetInt64(1);
                else recipientSeq = reader.GetInt64(1);
            }
        }
        if (rows == 0) return false;
        if (rows != 2) throw new InvalidOperationException("The sender " + sender + " has no account row");
        seqs.Add((sender, senderSeq));
        seqs.Add((recipient, recipientSeq));
        return true;
    }

    /// <summary>Writes one inbox row per (user, seq) whose seqs were already taken, all for the same event.</summary>
    public void InsertInboxMany(List<(string User, long Seq)> rows, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        // Sorted so that the events published after the commit come in a stable order.
        rows.Sort((a, b) => string.CompareOrdinal(a.User, b.User));
        InsertInboxRows(rows, kind, conv, n, actor, status, message, data);
    }

    /// <summary>Writes one inbox row per (user, seq) whose seqs were already taken, all for the same event, in the given order.</summary>
    public void InsertInboxRows(List<(string User, long Seq)> rows, InboxEntryKind kind, string conv, long n, string actor, ReceiptStatus? status,
        Core.Messages.StoredMessage? message, string? data = null)
    {
        object? statusValue = status is null ? null : (int)status;
        if (_arrays)
        {
            var users = new string[rows.Count];
            var seqs = new long[rows.Count];
            for (var i = 0; i < rows.Count; i++) (users[i], seqs[i]) = rows[i];
            Execute(
                "INSERT INTO inbox(username, seq, kind, conv, n, actor, status, data) SELECT u, s, @p2, @p3, @p4, @p5, @p6, @p7 FROM unnest(@p0::text[], @p1::bigint[]) AS t(u, s)",
                users, seqs, (int)kind, conv, n, actor, statusValue, data);
        }
        else
        {
            // Several rows per statement: one execution, and the event's columns bound once, instead of one per row.
            for (var start = 0; start < rows.Count; start += InboxRowsPerInsert)
            {
                var count = Math.Min(InboxRowsPerInsert, rows.Count - start);
                var args = new object?[6 + 2 * count];
                (args[0], args[1], args[2], args[3], args[4], args[5]) = ((int)kind, conv, n, actor, statusValue, data);
                for (var i = 0; i < count; i++) (args[6 + 2 * i], args[7 + 2 * i]) = rows[start + i];
                Execute(InboxInsertSql[count], args);
            }
        }
        foreach (var (user, seq) in rows) _writes.Add(new InboxWrite(user, new InboxEntry(seq, kind, conv, n, actor, status, message, data)));
    }

    private const int InboxRowsPerInsert = 16;

    // InboxInsertSql[k]: k rows, the event's columns in @p0..@p5, then each row's username and seq.
    private static readonly string[] InboxInsertSql = Enumerable.Range(0, InboxRowsPerInsert + 1).Select(k =>
        "INSERT INTO inbox(kind, conv, n, actor, status, data, username, seq) VALUES" + string.Join(", ", Enumerable.Range(0, k).Select(i =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(@p0, @p1, @p2, @p3, @p4, @p5, @p{6 + 2 * i}, @p{7 + 2 * i})")))).ToArray();

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

        if (!ConversationId.TryParseDirect(conv, out var id)) return true;
        var other = id.OtherThan(user);
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

    /// <summary>
    /// Moves <paramref name="user"/>'s delivered marker in <paramref name="conv"/> forward to <paramref name="n"/>, the
    /// newest message from someone else that the user's ack covers. In a direct conversation that message is the other
    /// participant's, so a delivered receipt is owed whenever the marker moves. True when it moved.
    /// </summary>
    public bool AdvanceDelivered(string user, string conv, long n)
    {
        if (Execute("UPDATE members SET delivered_n = @p2 WHERE conv = @p0 AND username = @p1 AND delivered_n < @p2", conv, user, n) == 0) return false;
        if (!ConversationId.TryParseDirect(conv, out var id)) return true;
        var other = id.OtherThan(user);
        if (other != user) AppendInbox(other, InboxEntryKind.Receipt, conv, n, user, ReceiptStatus.Delivered, null);
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

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Storage.Relational;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The writer on SQLite: the one connection allowed to write, running a hot batch's phases as loops of prepared
/// statements (in process, a statement costs no round trip, so one per key is cheaper than building sets), synchronously
/// on the writer loop's thread. No other writer exists, so nothing here needs a row lock. It counts what each committed
/// transaction wrote (statements, rows, WAL pages: <see cref="StoreMetrics"/>) and, when its queue is empty, finishes the
/// WAL checkpoint the background started (<see cref="SqliteCheckpointer"/>).
/// </summary>
internal sealed class SqliteWriterSession(SqliteConnection connection, SqliteCheckpointer? checkpointer, ILogger logger) : WriterSession(connection)
{
    // sqlite3_db_status: pages written to the WAL (in WAL mode) since the last reset.
    private const int DbStatusCacheWrite = 9;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    // The multi-row inserts, bound by position (SqlitePositionalStatement).
    private readonly Dictionary<string, SqlitePositionalStatement> _positional = new(StringComparer.Ordinal);
    private SqliteTransaction? _transaction;
    // What the open transaction has done so far: statements run, and sqlite3_total_changes when it began.
    private long _statements;
    private int _changesAtBegin;
    // What had reached the WAL file when the transaction began (BufferedWalVfs; null: SQLite's own VFS, which counts none).
    private WalWriteCounts? _walAtBegin;

    private const int MessagesPerInsert = 16;
    private const int InboxRowsPerInsert = 32;
    private const int HeadsPerUpdate = 32;

    /// <summary>Moves the heads of 0..<see cref="HeadsPerUpdate"/> users by their counts (@p0 user, @p1 count, ...), returning the moved heads.</summary>
    private static readonly string[] HeadsUpdateSql = Enumerable.Range(0, HeadsPerUpdate + 1).Select(k =>
        "UPDATE inbox_heads SET head = head + v.column2 FROM (VALUES " +
        string.Join(", ", Enumerable.Range(0, Math.Max(k, 1)).Select(i => "(@p" + (2 * i).ToString(System.Globalization.CultureInfo.InvariantCulture) + ", @p" +
            (2 * i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + ")")) +
        ") AS v WHERE inbox_heads.username = v.column1 RETURNING inbox_heads.username, inbox_heads.head").ToArray();

    private static readonly string[] MessageInsertSql = RowsInsert("messages",
        ["conv", "n", "id", "sender", "cid", "kind", "body", "ts", "expires_at", "sender_seq", "recipient_seq", "media_id", "reply_to", "hidden_from"],
        MessagesPerInsert);
    private const int MessageColumns = 14;
    private const int InboxColumns = 8;

    private static readonly string[] InboxInsertSql = RowsInsert("inbox",
        ["username", "seq", "kind", "conv", "n", "actor", "status", "data"], InboxRowsPerInsert);

    private const int KeysPerLookup = 16;

    /// <summary>
    /// Which of 1..<see cref="KeysPerLookup"/> (sender, cid) pairs (@p0 sender, @p1 cid, ...) are stored already: the pairs
    /// are the outer loop (<c>CROSS JOIN</c> keeps them so), each a seek of the <c>(sender, cid)</c> index.
    /// </summary>
    private static readonly string[] ExistingKeysSql = KeyedLookups(2, values =>
        $"SELECT m.sender, m.cid FROM (VALUES {values}) AS k CROSS JOIN messages m ON m.sender = k.column1 AND m.cid = k.column2");

    /// <summary>The message stored with a (sender, cid) pair, read as the relational store reads messages.</summary>
    private static readonly string ExistingSql =
        $"SELECT {RelationalRows.MessageAndMediaColumnsOf("m")} FROM messages m {MediaRows.JoinOn("m")} WHERE m.sender = @p0 AND m.cid = @p1";

    /// <summary>The conversations in which a user's newly acked inbox range (@p1, @p2] holds messages from others, with the user's markers there.</summary>
    private static readonly string AckedRangeSql =
        $"""
        WITH r AS (
          SELECT i.conv AS conv, MAX(i.n) AS n, MAX(i.actor) AS other FROM inbox i
          WHERE i.username = @p0 AND i.seq > @p1 AND i.seq <= @p2 AND i.kind = {(int)InboxEntryKind.Message} AND i.actor <> @p0 GROUP BY i.conv)
        SELECT r.conv, r.n, mb.delivered_n, mb.read_n, h.username IS NOT NULL
        FROM r LEFT JOIN members mb ON mb.conv = r.conv AND mb.username = @p0 LEFT JOIN inbox_heads h ON h.username = r.other
        """;

    /// <summary>The rows of 1..<see cref="KeysPerLookup"/> conversations (conv, is_group, last_n, last_ts, retention_seconds).</summary>
    private static readonly string[] ConversationsSql = KeyedLookups(1, values =>
        $"SELECT c.conv, c.is_group, c.last_n, c.last_ts, c.retention_seconds FROM (VALUES {values}) AS k CROSS JOIN conversations c ON c.conv = k.column1");

    /// <summary>Which of 1..<see cref="KeysPerLookup"/> (blocker, blocked) pairs are blocks.</summary>
    private static readonly string[] BlocksSql = KeyedLookups(2, values =>
        $"SELECT b.blocker, b.blocked FROM (VALUES {values}) AS k CROSS JOIN blocks b ON b.blocker = k.column1 AND b.blocked = k.column2");

    /// <summary>Which of 1..<see cref="KeysPerLookup"/> users have a live account (an inbox head).</summary>
    private static readonly string[] LiveSql = KeyedLookups(1, values =>
        $"SELECT h.username FROM (VALUES {values}) AS k CROSS JOIN inbox_heads h ON h.username = k.column1");

    /// <summary>The delivered watermarks and inbox heads of 1..<see cref="KeysPerLookup"/> users (username, delivered_seq, head).</summary>
    private static readonly string[] WatermarksSql = KeyedLookups(1, values =>
        $"SELECT d.username, d.delivered_seq, h.head FROM (VALUES {values}) AS k CROSS JOIN inbox_delivered d ON d.username = k.column1 " +
        "JOIN inbox_heads h ON h.username = d.username");

    public override string ForUpdate => "";

    public override bool FindsDirectEntriesBySeq => true;

    public override DbTransaction? Transaction => _transaction;

    public override Task BeginAsync(CancellationToken cancellationToken)
    {
        Begin();
        return Task.CompletedTask;
    }

    private void Begin()
    {
        _transaction = connection.BeginTransaction();
        _statements = 0;
        _changesAtBegin = SQLitePCL.raw.sqlite3_total_changes(connection.Handle);
        SQLitePCL.raw.sqlite3_db_status(connection.Handle, DbStatusCacheWrite, out _, out _, 1);
        _walAtBegin = BufferedWalVfs.CountsOf(connection);
    }

    public override Task CommitAsync(CancellationToken cancellationToken)
    {
        _transaction!.Commit();
        _transaction.Dispose();
        _transaction = null;
        // unchecked: the native counter is an int that may wrap; the difference is still right.
        var rows = unchecked(SQLitePCL.raw.sqlite3_total_changes(connection.Handle) - _changesAtBegin);
        SQLitePCL.raw.sqlite3_db_status(connection.Handle, DbStatusCacheWrite, out var walPages, out _, 1);
        StoreMetrics.Statements.Add(_statements);
        StoreMetrics.RowsWritten.Add(rows);
        StoreMetrics.WalPages.Add(walPages);
        if (_walAtBegin is { } atBegin && BufferedWalVfs.CountsOf(connection) is { } now) StoreMetrics.WalFileWrites.Add(now.FileWrites - atBegin.FileWrites);
        checkpointer?.Appended(walPages);
        return Task.CompletedTask;
    }

    public override void StatementRun() => _statements++;

    public override void OnIdle()
    {
        if (checkpointer is null || !checkpointer.IdleCatchUpDue()) return;
        checkpointer.CaughtUp(SqliteCheckpointer.Checkpoint(connection, CheckpointBy.Writer, logger).Complete);
    }

    public override Task RollbackAsync()
    {
        if (_transaction is not { } transaction) return Task.CompletedTask;
        _transaction = null;
        try
        {
            transaction.Rollback();
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // SQLite rolled it back itself (an I/O error or a full disk ends the transaction), or it had completed.
        }
        finally
        {
            transaction.Dispose();
        }
        return Task.CompletedTask;
    }

    protected override void DisposeStatements()
    {
        foreach (var cmd in _commands.Values) cmd.Dispose();
        _commands.Clear();
        foreach (var statement in _positional.Values) statement.Dispose();
        _positional.Clear();
    }

    public override TransientFailure? Classify(Exception exception) =>
        // SQLITE_BUSY, SQLITE_LOCKED: another process holds the file for a moment (a backup, an operator's shell).
        exception is SqliteException { SqliteErrorCode: 5 or 6 } ? TransientFailure.Conflict : null;

    public override Task PrefetchAsync(HotBatch batch, CancellationToken cancellationToken)
    {
        Begin();
        ForEachRow([.. batch.NumberedConversations.Distinct(StringComparer.Ordinal)], ConversationsSql, conv => [conv], r =>
        {
            var conv = r.GetString(0);
            batch.Conversations[conv] = new ConversationRow(conv, r.GetInt64(1) != 0, r.GetInt64(2), r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4), exists: true);
        });
        // A direct conversation without a row gets one at the flush, if a message is numbered in it.
        foreach (var conv in batch.DirectConversations.Keys)
        {
            if (!batch.Conversations.ContainsKey(conv)) batch.Conversations[conv] = new ConversationRow(conv, false, 0, 0, null, exists: false);
        }
        foreach (var conv in batch.GroupConversations)
        {
            var members = List("SELECT username FROM members WHERE conv = @p0", r => r.GetString(0), conv);
            members.Sort(StringComparer.Ordinal);
            batch.GroupMembers[conv] = members;
        }
        var resent = new List<(string Sender, string Cid)>();
        ForEachRow([.. batch.SenderCids], ExistingKeysSql, key => [key.Sender, key.Cid], r => resent.Add((r.GetString(0), r.GetString(1))));
        foreach (var (sender, cid) in resent)
        {
            if (QueryFirst(ExistingSql, r => RelationalRows.ReadMessage(r, 0), sender, cid) is { } existing) batch.Existing[(sender, cid)] = existing;
        }
        foreach (var (target, at) in batch.ReplyTargets)
        {
            if (First($"SELECT 1 FROM messages m WHERE m.conv = @p0 AND m.n = @p1 AND {MessageVisibility.SeenBy("@p2", "@p3")}", r => true,
                target.Conv, target.N, target.Sender, at))
            {
                batch.ReplyTargetsFound.Add(target);
            }
        }
        ForEachRow([.. batch.BlockChecks], BlocksSql, pair => [pair.Blocker, pair.Blocked], r => batch.Blocks.Add((r.GetString(0), r.GetString(1))));
        ForEachRow([.. batch.Accounts], LiveSql, user => [user], r => batch.Live.Add(r.GetString(0)));
        foreach (var ((mediaId, user), at) in batch.MediaUses)
        {
            batch.Media[(mediaId, user)] = QueryFirst(
                $"SELECT {MediaRows.InfoColumns}, {MediaRows.VisibleTo("@p0", "@p1", "@p2")} FROM media md WHERE md.media_id = @p0",
                r => r.GetInt64(7) != 0 ? MediaRows.ReadInfo(r, 0) : null, mediaId, user, at);
        }
        ForEachRow([.. batch.MarkerUsers], WatermarksSql, user => [user], r => batch.Watermarks[r.GetString(0)] = new Watermark(r.GetInt64(1), r.GetInt64(2)));
        foreach (var (user, target) in batch.AckTargets) ReadAckedRange(batch, user, target);
        foreach (var key in batch.Reads) ReadFacts(batch, key);
        return Task.CompletedTask;
    }

    private void ReadAckedRange(HotBatch batch, string user, long target)
    {
        if (!batch.Watermarks.TryGetValue(user, out var watermark) || Math.Min(target, watermark.Head) <= watermark.Delivered) return;
        var reached = new List<ReachedConversation>();
        foreach (var (conv, n, delivered, read, otherLive) in List(AckedRangeSql,
            r => (r.GetString(0), r.GetInt64(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2), r.IsDBNull(3) ? 0 : r.GetInt64(3), r.GetInt64(4) != 0),
            user, watermark.Delivered, target))
        {
            reached.Add(new ReachedConversation(conv, n, otherLive));
            if (delivered is { } d) batch.Markers.TryAdd((conv, user), new Marker(d, read));
        }
        batch.Reached[user] = reached;
    }

    private void ReadFacts(HotBatch batch, ReadKey key)
    {
        var facts = First(
            """
            SELECT c.last_n, mb.delivered_n, mb.read_n,
              (SELECT x.n FROM messages x WHERE x.conv = @p1 AND x.n <= MIN(@p3, c.last_n) AND x.sender = @p2
                 AND (x.hidden_from IS NULL OR x.hidden_from <> @p0) ORDER BY x.n DESC LIMIT 1),
              EXISTS (SELECT 1 FROM inbox_heads h WHERE h.username = @p2),
              (SELECT x.n FROM messages x WHERE x.conv = @p1 AND x.n <= MIN(@p3, c.last_n) AND x.hidden_from = @p0 ORDER BY x.n DESC LIMIT 1)
            FROM conversations c LEFT JOIN members mb ON mb.conv = c.conv AND mb.username = @p0 WHERE c.conv = @p1
            """,
            r =>
            {
                if (!r.IsDBNull(1)) batch.Markers.TryAdd((key.Conv, key.User), new Marker(r.GetInt64(1), r.GetInt64(2)));
                return new ReadFacts(r.GetInt64(0), r.IsDBNull(3) ? 0 : r.GetInt64(3), r.GetInt64(4) != 0, r.IsDBNull(5) ? 0 : r.GetInt64(5));
            },
            key.User, key.Conv, key.Other, key.UpTo);
        if (facts is not null) batch.ReadFacts[key] = facts;
    }

    public override Task FlushAndCommitAsync(HotBatch batch, CancellationToken cancellationToken)
    {
        // Other operations' statements bind whatever their arguments are: Microsoft.Data.Sqlite converts them.
        foreach (var statement in batch.Statements) statement.RowsAffected = Bound(statement.Sql, statement.Args).ExecuteNonQuery();
        foreach (var row in batch.Conversations.Values)
        {
            if (!row.Changed) continue;
            if (row.Exists) Execute("UPDATE conversations SET last_n = @p1, last_ts = @p2 WHERE conv = @p0", row.Conv, row.LastN, row.LastTs);
            else Execute("INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES(@p0, 0, NULL, @p1, @p2, NULL, @p2)",
                row.Conv, row.LastN, row.LastTs);
        }
        foreach (var (conv, user, joinedAt) in batch.NewMembers)
        {
            Execute("INSERT INTO members(conv, username, joined_at) VALUES(@p0, @p1, @p2) ON CONFLICT DO NOTHING", conv, user, joinedAt);
        }
        foreach (var (mediaId, at) in batch.MediaUsed)
        {
            Execute("UPDATE media SET last_used_at = @p1, referenced = 1, version = version + 1 WHERE media_id = @p0", mediaId, at);
        }
        foreach (var ((conv, user), marker) in batch.Markers)
        {
            if (marker.Changed) Execute("UPDATE members SET delivered_n = @p2, read_n = @p3 WHERE conv = @p0 AND username = @p1", conv, user, marker.Delivered, marker.Read);
        }
        foreach (var (deviceId, seq) in batch.DeviceAcks)
        {
            Execute("UPDATE devices SET acked_seq = @p1 WHERE device_id = @p0 AND acked_seq < @p1", deviceId, seq);
        }
        foreach (var (user, watermark) in batch.Watermarks)
        {
            if (watermark.Changed) Execute("UPDATE inbox_delivered SET delivered_seq = @p1 WHERE username = @p0", user, watermark.Delivered);
        }
        var bases = MoveHeads(batch.Inbox);
        if (bases.Count != batch.Inbox.Counts.Count) throw new InvalidOperationException("an inbox row was appended for a user without a live account");
        batch.Inbox.Assign(bases);
        InsertMessages(batch.Messages);
        InsertInboxRows(batch.Inbox);
        return CommitAsync(cancellationToken);
    }

    public override Task WriteInboxAsync(InboxAppends inbox, CancellationToken cancellationToken)
    {
        inbox.Assign(MoveHeads(inbox));
        InsertInboxRows(inbox);
        return Task.CompletedTask;
    }

    /// <summary>Moves each user's head by its row count; returns the heads before the move (users without one: no live account).</summary>
    private Dictionary<string, long> MoveHeads(InboxAppends inbox)
    {
        var bases = new Dictionary<string, long>(inbox.Counts.Count, StringComparer.Ordinal);
        var users = inbox.SortedUsers().ToList();
        // Many heads per statement (a group message moves one per member): one statement's overhead for up to 32 users.
        for (var start = 0; start < users.Count; start += HeadsPerUpdate)
        {
            var count = Math.Min(HeadsPerUpdate, users.Count - start);
            var statement = Positional(HeadsUpdateSql[count]);
            for (var i = 0; i < count; i++) Bind(statement, 2 * i, users[start + i], (long)inbox.Counts[users[start + i]]);
            ForEach(statement, row =>
            {
                var user = row.GetString(0);
                bases[user] = row.GetInt64(1) - inbox.Counts[user];
            });
        }
        return bases;
    }

    private void InsertMessages(List<PendingMessage> messages)
    {
        for (var start = 0; start < messages.Count; start += MessagesPerInsert)
        {
            var count = Math.Min(MessagesPerInsert, messages.Count - start);
            var statement = Positional(MessageInsertSql[count]);
            for (var i = 0; i < count; i++)
            {
                var pending = messages[start + i];
                var m = pending.Stored;
                Bind(statement, MessageColumns * i, m.Conv, m.N, m.Id, m.Sender, m.Cid, m.Kind, m.Body, m.Ts, m.ExpiresAt, m.SenderSeq, pending.RecipientSeq,
                    m.Media?.Id, m.ReplyTo, pending.HiddenFrom);
            }
            statement.Execute();
        }
    }

    private void InsertInboxRows(InboxAppends inbox)
    {
        var rows = inbox.Written.ToList();
        for (var start = 0; start < rows.Count; start += InboxRowsPerInsert)
        {
            var count = Math.Min(InboxRowsPerInsert, rows.Count - start);
            var statement = Positional(InboxInsertSql[count]);
            for (var i = 0; i < count; i++)
            {
                var r = rows[start + i];
                var at = InboxColumns * i;
                statement.Bind(at + 1, r.User);
                statement.Bind(at + 2, r.Seq);
                statement.Bind(at + 3, (long)r.Kind);
                statement.Bind(at + 4, r.Conv);
                statement.Bind(at + 5, r.N);
                statement.Bind(at + 6, r.Actor);
                statement.Bind(at + 7, r.Status is { } status ? (long)status : null);
                statement.Bind(at + 8, r.Data);
            }
            statement.Execute();
        }
    }

    /// <summary>
    /// Statements for 0..<see cref="KeysPerLookup"/> keys of <paramref name="columns"/> values each: <paramref name="sql"/>
    /// given the <c>VALUES</c> rows (@p0, @p1, ...), one row per key.
    /// </summary>
    private static string[] KeyedLookups(int columns, Func<string, string> sql) =>
        Enumerable.Range(0, KeysPerLookup + 1).Select(k => k == 0 ? "" : sql(string.Join(", ", Enumerable.Range(0, k).Select(row =>
            "(" + string.Join(", ", Enumerable.Range(0, columns).Select(c => "@p" + (row * columns + c).ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")"))))
        .ToArray();

    /// <summary>
    /// Runs the lookup of <paramref name="sqlByCount"/> for <paramref name="keys"/>, <see cref="KeysPerLookup"/> at a time,
    /// and hands each row found to <paramref name="row"/>. Many keys per statement: for a point lookup of a cached page, a
    /// statement's own cost (reset, binding, the reader) was most of it, and every send of a batch has its own (sender, cid).
    /// </summary>
    private void ForEachRow<TKey>(List<TKey> keys, string[] sqlByCount, Func<TKey, object?[]> valuesOf, Action<SqlitePositionalStatement> row)
    {
        for (var start = 0; start < keys.Count; start += KeysPerLookup)
        {
            var count = Math.Min(KeysPerLookup, keys.Count - start);
            // Every key of a lookup has as many values as the first.
            var first = valuesOf(keys[start]);
            var statement = Positional(sqlByCount[count]);
            Bind(statement, 0, first);
            for (var i = 1; i < count; i++) Bind(statement, first.Length * i, valuesOf(keys[start + i]));
            ForEach(statement, row);
        }
    }

    /// <summary>Hands each row of <paramref name="statement"/>'s run to <paramref name="row"/>; the run ends even if one throws.</summary>
    private static void ForEach(SqlitePositionalStatement statement, Action<SqlitePositionalStatement> row)
    {
        try
        {
            while (statement.Read()) row(statement);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>INSERT statements for 0..<paramref name="max"/> rows: one execution binds many rows, by position (?1, ?2, ...).</summary>
    private static string[] RowsInsert(string table, string[] columns, int max) =>
        Enumerable.Range(0, max + 1).Select(k => $"INSERT INTO {table}({string.Join(", ", columns)}) VALUES" +
            string.Join(", ", Enumerable.Range(0, k).Select(row =>
                "(" + string.Join(", ", columns.Select((_, c) => "?" + (row * columns.Length + c + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")")))
        .ToArray();

    private SqlitePositionalStatement Positional(string sql)
    {
        if (!_positional.TryGetValue(sql, out var statement))
        {
            statement = new SqlitePositionalStatement(connection, sql);
            _positional[sql] = statement;
        }
        _statements++;
        return statement;
    }

    /// <summary>Binds <paramref name="values"/> to the parameters after the first <paramref name="offset"/>.</summary>
    private static void Bind(SqlitePositionalStatement statement, int offset, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) statement.Bind(offset + i + 1, values[i]);
    }

    private static void Set(SqliteCommand cmd, int offset, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[offset + i].Value = values[i] ?? DBNull.Value;
    }

    private SqliteCommand Prepared(string sql, int parameterCount)
    {
        if (!_commands.TryGetValue(sql, out var cmd))
        {
            cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            for (var i = 0; i < parameterCount; i++) cmd.Parameters.Add(new SqliteParameter { ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            _commands[sql] = cmd;
        }
        cmd.Transaction = _transaction;
        _statements++;
        return cmd;
    }

    private SqliteCommand Bound(string sql, object?[] args)
    {
        var cmd = Prepared(sql, args.Length);
        Set(cmd, 0, args);
        return cmd;
    }

    /// <summary>The statement of <paramref name="sql"/> (@p0, @p1, ...) with <paramref name="args"/> bound, by position.</summary>
    private SqlitePositionalStatement Statement(string sql, object?[] args)
    {
        var statement = Positional(sql);
        Bind(statement, 0, args);
        return statement;
    }

    private void Execute(string sql, params object?[] args) => Statement(sql, args).Execute();

    // The hot updates' shapes, bound without an argument array or boxes (the compiler picks these over the one above).
    private void Execute(string sql, string p0, long p1) => BindFirst(Positional(sql), p0, p1).Execute();

    private void Execute(string sql, string p0, long p1, long p2)
    {
        var statement = BindFirst(Positional(sql), p0, p1);
        statement.Bind(3, p2);
        statement.Execute();
    }

    private void Execute(string sql, string p0, string p1, long p2, long p3)
    {
        var statement = Positional(sql);
        statement.Bind(1, p0);
        statement.Bind(2, p1);
        statement.Bind(3, p2);
        statement.Bind(4, p3);
        statement.Execute();
    }

    private static SqlitePositionalStatement BindFirst(SqlitePositionalStatement statement, string p0, long p1)
    {
        statement.Bind(1, p0);
        statement.Bind(2, p1);
        return statement;
    }

    private T? First<T>(string sql, Func<SqlitePositionalStatement, T> map, params object?[] args)
    {
        var statement = Statement(sql, args);
        try
        {
            return statement.Read() ? map(statement) : default;
        }
        finally
        {
            statement.Reset();
        }
    }

    private List<T> List<T>(string sql, Func<SqlitePositionalStatement, T> map, params object?[] args)
    {
        var list = new List<T>();
        ForEach(Statement(sql, args), row => list.Add(map(row)));
        return list;
    }

    /// <summary>A query whose rows are read as the relational store reads them (<see cref="DbDataReader"/>), through Microsoft.Data.Sqlite.</summary>
    private T? QueryFirst<T>(string sql, Func<DbDataReader, T> map, params object?[] args)
    {
        using var reader = Bound(sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : default;
    }
}

using System.Data.Common;
using Npgsql;
using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Storage.Relational;

namespace Parley.Storage.Postgres;

/// <summary>
/// The writer on PostgreSQL, one per node (several nodes write at once). A hot batch costs two round trips whatever its
/// size: the prefetch (BEGIN, the locks, set-based reads over arrays) and the flush (every write as a set, the commit).
/// Statements use positional parameters and never change their text, so Npgsql prepares them once per connection.
/// Locks are taken in the order <see cref="HotBatch"/> describes.
/// </summary>
internal sealed class PostgresWriterSession(NpgsqlConnection connection) : WriterSession(connection)
{
    public override string ForUpdate => " FOR NO KEY UPDATE";

    public override DbTransaction? Transaction => null;

    public override Task BeginAsync(CancellationToken cancellationToken) => ExecuteAsync("BEGIN", cancellationToken);

    public override Task CommitAsync(CancellationToken cancellationToken) => ExecuteAsync("COMMIT", cancellationToken);

    public override async Task RollbackAsync()
    {
        if (!IsUsable) return;
        try
        {
            // Outside a transaction this only warns: safe to send whatever state the failure left.
            await ExecuteAsync("ROLLBACK", CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke; IsUsable reports it and the writer replaces it.
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        StoreMetrics.RoundTrips.Add(1);
    }

    public override TransientFailure? Classify(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.LockNotAvailable }
            => TransientFailure.Conflict,
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
            or PostgresErrorCodes.TooManyConnections } => TransientFailure.Connection,
        // Another node stored the same (sender, cid) after this batch looked: the retry finds it and answers a duplicate.
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "messages_sender_cid" } => TransientFailure.Stale,
        // A row without a seq: its user's inbox head was deleted (the account) after the batch checked it was live.
        PostgresException { SqlState: PostgresErrorCodes.NotNullViolation, TableName: "inbox" or "messages" } => TransientFailure.Stale,
        PostgresException => null,
        NpgsqlException => TransientFailure.Connection,
        _ => null,
    };

    // The prefetch, in lock order: the conversations that take an n and their members (read, not locked: the flush locks
    // them and checks that what was read still holds), earlier sends of the same cids, live accounts, media (locked), then
    // the watermarks of the users whose markers move (locked), and what depends on them.
    //
    // Every statement reaches its rows by key: a join with an array is a LATERAL subquery per element, kept from being
    // flattened into a join (OFFSET 0), so that it is a nested loop of index lookups whatever PostgreSQL estimates. Its
    // estimates for young tables (not yet analysed, and prepared plans built while they were nearly empty) chose a
    // sequential scan and a sort of the whole inbox for every batch, 20-100 ms each, before this.

    private const string ReadConversations =
        "SELECT conv, is_group, last_n, last_ts, retention_seconds FROM conversations WHERE conv = ANY($1::text[])";

    private const string GroupMembers = "SELECT conv, username FROM members WHERE conv = ANY($1::text[])";

    private static readonly string EarlierSends =
        $"""
        SELECT {RelationalRows.MessageAndMediaColumnsOf("m")}
        FROM unnest($1::text[], $2::text[]) AS k(s, c)
        CROSS JOIN LATERAL (SELECT * FROM messages x WHERE x.sender = k.s AND x.cid = k.c OFFSET 0) m
        LEFT JOIN LATERAL (SELECT * FROM media y WHERE y.media_id = m.media_id OFFSET 0) md ON true
        """;

    // The messages that sends reply to, found when the sender sees them (MessageVisibility). Each found row is share-
    // locked: a delete of the target (which locks that row) either committed before and the re-checked row is not found, or
    // waits for this batch. A delete locks nothing the batch holds before its flush, so the wait cannot close a cycle.
    private static readonly string ReplyTargetsFound =
        $"""
        SELECT k.c, k.n, k.s FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) AS k(c, n, s, at)
        CROSS JOIN LATERAL (SELECT 1 FROM messages m WHERE m.conv = k.c AND m.n = k.n AND {MessageVisibility.SeenBy("k.s", "k.at")} OFFSET 0 FOR SHARE OF m) v
        """;

    // Which (recipient, sender) pairs of the batch's direct sends are blocks (v1.1): in the same round trip as the rest.
    private const string BlocksFound =
        """
        SELECT k.a, k.b FROM unnest($1::text[], $2::text[]) AS k(a, b)
        CROSS JOIN LATERAL (SELECT 1 FROM blocks x WHERE x.blocker = k.a AND x.blocked = k.b OFFSET 0) v
        """;

    private const string LiveAccounts = "SELECT username FROM inbox_heads WHERE username = ANY($1::text[])";

    private static readonly string UsableMedia =
        $"""
        SELECT k.mid, k.usr, {MediaRows.InfoColumns}, {MediaRows.VisibleTo("k.mid", "k.usr", "k.at")}
        FROM unnest($1::text[], $2::text[], $3::bigint[]) AS k(mid, usr, at) JOIN media md ON md.media_id = k.mid AND md.media_id = ANY($1::text[])
        ORDER BY k.mid FOR NO KEY UPDATE OF md
        """;

    private const string LockWatermarks =
        """
        SELECT d.username, d.delivered_seq, h.head FROM inbox_delivered d JOIN inbox_heads h ON h.username = d.username
        WHERE d.username = ANY($1::text[]) ORDER BY d.username FOR NO KEY UPDATE OF d
        """;

    // For each acker: the conversations with others' messages in (delivered, acked], the newest such n, the acker's markers
    // there (none: no longer a member) and whether the other participant (of a direct conversation) is live.
    private static readonly string AckedRanges =
        $"""
        SELECT a.u, r.conv, r.n, mb.delivered_n, mb.read_n, h.username IS NOT NULL
        FROM unnest($1::text[], $2::bigint[]) AS a(u, t)
        CROSS JOIN LATERAL (SELECT delivered_seq FROM inbox_delivered x WHERE x.username = a.u OFFSET 0) d
        CROSS JOIN LATERAL (
          SELECT i.conv, MAX(i.n) AS n, MAX(i.actor) AS other FROM inbox i
          WHERE i.username = a.u AND i.seq > d.delivered_seq AND i.seq <= a.t AND i.kind = {(int)InboxEntryKind.Message} AND i.actor <> a.u
          GROUP BY i.conv) r
        LEFT JOIN LATERAL (SELECT delivered_n, read_n FROM members y WHERE y.conv = r.conv AND y.username = a.u OFFSET 0) mb ON true
        LEFT JOIN LATERAL (SELECT username FROM inbox_heads z WHERE z.username = r.other OFFSET 0) h ON true
        """;

    private const string ReadFactsSql =
        """
        SELECT k.u, k.c, k.o, k.up, c.last_n, mb.delivered_n, mb.read_n,
          (SELECT x.n FROM messages x WHERE x.conv = k.c AND x.n <= LEAST(k.up, c.last_n) AND x.sender = k.o
             AND (x.hidden_from IS NULL OR x.hidden_from <> k.u) ORDER BY x.n DESC LIMIT 1),
          (SELECT 1 FROM inbox_heads h WHERE h.username = k.o) IS NOT NULL,
          (SELECT x.n FROM messages x WHERE x.conv = k.c AND x.n <= LEAST(k.up, c.last_n) AND x.hidden_from = k.u ORDER BY x.n DESC LIMIT 1)
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS k(u, c, o, up)
        CROSS JOIN LATERAL (SELECT last_n FROM conversations y WHERE y.conv = k.c OFFSET 0) c
        LEFT JOIN LATERAL (SELECT delivered_n, read_n FROM members z WHERE z.conv = k.c AND z.username = k.u OFFSET 0) mb ON true
        """;

    // A batch with nothing to read (only statements riding along) sends its BEGIN with the flush: one round trip.
    private bool _beginWithFlush;

    public override async Task PrefetchAsync(HotBatch batch, CancellationToken cancellationToken)
    {
        _beginWithFlush = batch.NumberedConversations.FirstOrDefault() is null && batch.SenderCids.Count == 0 && batch.Accounts.Count == 0
            && batch.MediaUses.Count == 0 && batch.AckTargets.Count == 0 && batch.Reads.Count == 0;
        if (_beginWithFlush) return;
        await using var sql = new NpgsqlBatch(connection);
        sql.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var numbered = batch.NumberedConversations.Distinct(StringComparer.Ordinal).ToArray();
        if (numbered.Length > 0) sql.BatchCommands.Add(Command(ReadConversations, (object)numbered));
        if (batch.GroupConversations.Count > 0) sql.BatchCommands.Add(Command(GroupMembers, (object)batch.GroupConversations.ToArray()));
        if (batch.SenderCids.Count > 0)
        {
            sql.BatchCommands.Add(Command(EarlierSends, batch.SenderCids.Select(k => k.Sender).ToArray(), batch.SenderCids.Select(k => k.Cid).ToArray()));
        }
        var replyTargets = batch.ReplyTargets.ToArray();
        if (replyTargets.Length > 0)
        {
            sql.BatchCommands.Add(Command(ReplyTargetsFound, replyTargets.Select(t => t.Key.Conv).ToArray(), replyTargets.Select(t => t.Key.N).ToArray(),
                replyTargets.Select(t => t.Key.Sender).ToArray(), replyTargets.Select(t => t.Value).ToArray()));
        }
        var blockChecks = batch.BlockChecks.ToArray();
        if (blockChecks.Length > 0)
        {
            sql.BatchCommands.Add(Command(BlocksFound, blockChecks.Select(b => b.Blocker).ToArray(), blockChecks.Select(b => b.Blocked).ToArray()));
        }
        if (batch.Accounts.Count > 0) sql.BatchCommands.Add(Command(LiveAccounts, (object)batch.Accounts.ToArray()));
        if (batch.MediaUses.Count > 0)
        {
            var uses = batch.MediaUses.ToArray();
            sql.BatchCommands.Add(Command(UsableMedia,
                uses.Select(u => u.Key.MediaId).ToArray(), uses.Select(u => u.Key.User).ToArray(), uses.Select(u => u.Value).ToArray()));
        }
        var markerUsers = batch.MarkerUsers.ToArray();
        if (markerUsers.Length > 0) sql.BatchCommands.Add(Command(LockWatermarks, (object)markerUsers));
        if (batch.AckTargets.Count > 0)
        {
            var acks = batch.AckTargets.ToArray();
            sql.BatchCommands.Add(Command(AckedRanges, acks.Select(a => a.Key).ToArray(), acks.Select(a => a.Value).ToArray()));
        }
        var reads = batch.Reads.ToArray();
        if (reads.Length > 0)
        {
            sql.BatchCommands.Add(Command(ReadFactsSql, reads.Select(r => r.User).ToArray(), reads.Select(r => r.Conv).ToArray(),
                reads.Select(r => r.Other).ToArray(), reads.Select(r => r.UpTo).ToArray()));
        }

        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        StoreMetrics.RoundTrips.Add(1);
        StoreMetrics.Statements.Add(sql.BatchCommands.Count);
        // Result sets come in the order of the SELECTs above (statements without rows have none).
        if (numbered.Length > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var conv = reader.GetString(0);
                // n are counted from 0: the flush gives them their base (ConversationRow.NumberedAtFlush).
                batch.Conversations[conv] = new ConversationRow(conv, reader.GetInt64(1) != 0, 0, reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4), exists: true, numberedAtFlush: true) { ReadLastN = reader.GetInt64(2) };
            }
            // A direct conversation without a row gets one at the flush, if a message is numbered in it (its recipient live).
            foreach (var (conv, (_, ts)) in batch.DirectConversations)
            {
                batch.Conversations.TryAdd(conv, new ConversationRow(conv, false, 0, ts, null, exists: false, numberedAtFlush: true));
            }
            await reader.NextResultAsync(cancellationToken);
        }
        if (batch.GroupConversations.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var conv = reader.GetString(0);
                if (!batch.GroupMembers.TryGetValue(conv, out var members)) batch.GroupMembers[conv] = members = [];
                members.Add(reader.GetString(1));
            }
            foreach (var members in batch.GroupMembers.Values) members.Sort(StringComparer.Ordinal);
            await reader.NextResultAsync(cancellationToken);
        }
        if (batch.SenderCids.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var message = RelationalRows.ReadMessage(reader, 0);
                batch.Existing[(message.Sender, message.Cid)] = message;
            }
            await reader.NextResultAsync(cancellationToken);
        }
        if (replyTargets.Length > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.ReplyTargetsFound.Add(new ReplyTarget(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
            await reader.NextResultAsync(cancellationToken);
        }
        if (blockChecks.Length > 0)
        {
            while (await reader.ReadAsync(cancellationToken)) batch.Blocks.Add((reader.GetString(0), reader.GetString(1)));
            await reader.NextResultAsync(cancellationToken);
        }
        if (batch.Accounts.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken)) batch.Live.Add(reader.GetString(0));
            await reader.NextResultAsync(cancellationToken);
        }
        if (batch.MediaUses.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                batch.Media[(reader.GetString(0), reader.GetString(1))] = reader.GetBoolean(9) ? MediaRows.ReadInfo(reader, 2) : null;
            }
            await reader.NextResultAsync(cancellationToken);
        }
        if (markerUsers.Length > 0)
        {
            while (await reader.ReadAsync(cancellationToken)) batch.Watermarks[reader.GetString(0)] = new Watermark(reader.GetInt64(1), reader.GetInt64(2));
            await reader.NextResultAsync(cancellationToken);
        }
        if (batch.AckTargets.Count > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var (user, conv) = (reader.GetString(0), reader.GetString(1));
                if (!batch.Reached.TryGetValue(user, out var reached)) batch.Reached[user] = reached = [];
                reached.Add(new ReachedConversation(conv, reader.GetInt64(2), reader.GetBoolean(5)));
                if (!reader.IsDBNull(3)) batch.Markers.TryAdd((conv, user), new Marker(reader.GetInt64(3), reader.GetInt64(4)));
            }
            await reader.NextResultAsync(cancellationToken);
        }
        if (reads.Length > 0)
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new ReadKey(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3));
                batch.ReadFacts[key] = new ReadFacts(reader.GetInt64(4), reader.IsDBNull(7) ? 0 : reader.GetInt64(7), reader.GetBoolean(8),
                    reader.IsDBNull(9) ? 0 : reader.GetInt64(9));
                if (!reader.IsDBNull(5)) batch.Markers.TryAdd((key.Conv, key.User), new Marker(reader.GetInt64(5), reader.GetInt64(6)));
            }
        }
    }

    // The flush, in lock order (after the media and watermarks the prefetch locked): the conversations that take an n
    // (created when new, locked in key order), new members, marker rows and devices (each locked in key order first; the
    // devices riding along as statements with them), then the inbox heads, locked in username order; then one statement
    // moves the conversations' last_n and the heads once each and writes the message and inbox rows with their n and
    // seqs from the moved values; then the statements that change users rows (last seen), in key order; then the commit.
    // A conversation is locked for this one round trip and the commit only.

    /// <summary>
    /// Locks the numbered conversations in key order, creating a direct one that has no row yet (its first message). The
    /// conflict branch changes nothing (WHERE false) but locks the row, in the insert's order.
    /// </summary>
    private const string LockConversations =
        """
        INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at)
        SELECT k.c, 0, NULL, 0, k.ts, NULL, k.ts FROM unnest($1::text[], $2::bigint[]) AS k(c, ts) ORDER BY k.c
        ON CONFLICT (conv) DO UPDATE SET last_n = conversations.last_n WHERE false
        """;

    private const string InsertNewMembers =
        """
        INSERT INTO members(conv, username, joined_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS k(conv, username, joined_at) ORDER BY 1, 2
        ON CONFLICT DO NOTHING
        """;

    private const string UseMedia =
        """
        UPDATE media md SET last_used_at = k.at, referenced = 1, version = md.version + 1
        FROM unnest($1::text[], $2::bigint[]) AS k(mid, at) WHERE md.media_id = k.mid AND md.media_id = ANY($1::text[])
        """;

    private const string LockMarkers =
        """
        SELECT 1 FROM members m JOIN unnest($1::text[], $2::text[]) AS k(conv, username) ON m.conv = k.conv AND m.username = k.username
        WHERE m.conv = ANY($1::text[]) AND m.username = ANY($2::text[])
        ORDER BY m.conv, m.username FOR NO KEY UPDATE OF m
        """;

    private const string MoveMarkers =
        """
        UPDATE members m SET delivered_n = GREATEST(m.delivered_n, k.d), read_n = GREATEST(m.read_n, k.r)
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS k(conv, username, d, r)
        WHERE m.conv = k.conv AND m.username = k.username AND m.conv = ANY($1::text[]) AND m.username = ANY($2::text[])
        """;

    private const string LockDevices = "SELECT 1 FROM devices WHERE device_id = ANY($1::text[]) ORDER BY device_id FOR NO KEY UPDATE";

    private const string MoveDevices =
        """
        UPDATE devices d SET acked_seq = k.s FROM unnest($1::text[], $2::bigint[]) AS k(id, s)
        WHERE d.device_id = k.id AND d.device_id = ANY($1::text[]) AND d.acked_seq < k.s
        """;

    private const string MoveWatermarks =
        "UPDATE inbox_delivered d SET delivered_seq = k.s FROM unnest($1::text[], $2::bigint[]) AS k(u, s) WHERE d.username = k.u AND d.username = ANY($1::text[])";

    private const string LockHeads = "SELECT username FROM inbox_heads WHERE username = ANY($1::text[]) ORDER BY username FOR NO KEY UPDATE";

    /// <summary>
    /// Moves the conversations' last_n and the heads, and writes the rows with n = the conversation's last_n before the
    /// move + the message's offset and seqs = the head before the move + the row's offset. A conversation moves only if
    /// what the prefetch read without its lock still holds (a group's members, the retention, the last_n when the apply
    /// relied on it, and whether the recipients of its direct sends block their senders; every change to them takes the
    /// conversation's lock first, a block or unblock too, so after the lock this statement sees them as they are);
    /// otherwise its messages get a null n, which the NOT NULL constraint refuses, and the batch is retried (stale). With
    /// <paramref name="strict"/>, a row whose user has no head gets a null seq, refused the same way: the batch read that
    /// account as live. Otherwise such rows are skipped. Returns (0, user, head before) and (1, conversation, last_n before).
    /// </summary>
    private static string MoveHeadsAndWrite(bool strict)
    {
        var join = strict ? "LEFT JOIN" : "JOIN";
        return
            $"""
            WITH stale_blocks AS (
              SELECT b.conv FROM unnest($31::text[], $32::text[], $33::text[], $34::boolean[]) AS b(conv, blocker, blocked, found)
              WHERE b.found <> EXISTS (SELECT 1 FROM blocks x WHERE x.blocker = b.blocker AND x.blocked = b.blocked)),
            numbered AS (
              UPDATE conversations c SET last_n = c.last_n + k.n, last_ts = GREATEST(c.last_ts, k.ts)
              FROM unnest($24::text[], $25::bigint[], $26::bigint[], $27::text[], $28::bigint[], $30::bigint[]) AS k(conv, n, ts, members, retention, base)
              WHERE c.conv = k.conv AND c.conv = ANY($24::text[]) AND c.retention_seconds IS NOT DISTINCT FROM k.retention
                AND (k.base IS NULL OR c.last_n = k.base)
                AND (k.members IS NULL
                     OR k.members = (SELECT string_agg(mb.username, ' ' ORDER BY mb.username COLLATE "C") FROM members mb WHERE mb.conv = k.conv))
                AND k.conv NOT IN (SELECT conv FROM stale_blocks)
              RETURNING c.conv, c.last_n - k.n AS base),
            moved AS (
              UPDATE inbox_heads h SET head = h.head + k.n FROM unnest($1::text[], $2::bigint[]) AS k(u, n)
              WHERE h.username = k.u AND h.username = ANY($1::text[]) RETURNING h.username, h.head - k.n AS base),
            message_rows AS (
              INSERT INTO messages(conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq, media_id, reply_to, hidden_from)
              SELECT m.conv, nb.base + m.n, m.id, m.sender, m.cid, m.kind, m.body, m.ts, m.expires_at, mv.base + m.so, m.media, m.reply_to, m.hidden_from
              FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bigint[], $11::bigint[],
                          $12::bigint[], $13::text[], $22::bigint[], $23::text[]) AS m(conv, n, id, sender, cid, kind, body, ts, expires_at, so, media, reply_to, hidden_from)
              {join} moved mv ON mv.username = m.sender
              LEFT JOIN numbered nb ON nb.conv = m.conv),
            inbox_rows AS (
              INSERT INTO inbox(username, seq, kind, conv, n, actor, status, data)
              SELECT r.u, mv.base + r.o, r.kind, r.conv, CASE WHEN r.rel IS NULL THEN r.n ELSE nb.base + r.n END, r.actor, r.status, r.data
              FROM unnest($14::text[], $15::bigint[], $16::bigint[], $17::text[], $18::bigint[], $19::text[], $20::bigint[], $21::text[], $29::text[])
                   AS r(u, o, kind, conv, n, actor, status, data, rel)
              {join} moved mv ON mv.username = r.u
              LEFT JOIN numbered nb ON nb.conv = r.rel)
            SELECT 0, username, base FROM moved
            UNION ALL SELECT 1, conv, base FROM numbered
            """;
    }

    private static readonly string MoveHeadsStrict = MoveHeadsAndWrite(strict: true);
    private static readonly string MoveHeadsLenient = MoveHeadsAndWrite(strict: false);

    public override async Task FlushAndCommitAsync(HotBatch batch, CancellationToken cancellationToken)
    {
        await using var sql = new NpgsqlBatch(connection);
        if (_beginWithFlush) sql.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        var changed = batch.Conversations.Values.Where(c => c.Changed).OrderBy(c => c.Conv, StringComparer.Ordinal).ToArray();
        if (changed.Length > 0)
        {
            // A conversation created here starts at the time of its first message.
            sql.BatchCommands.Add(Command(LockConversations, changed.Select(c => c.Conv).ToArray(),
                changed.Select(c => batch.DirectConversations.TryGetValue(c.Conv, out var first) ? first.Ts : c.LastTs).ToArray()));
        }
        if (batch.NewMembers.Count > 0)
        {
            sql.BatchCommands.Add(Command(InsertNewMembers, batch.NewMembers.Select(m => m.Conv).ToArray(), batch.NewMembers.Select(m => m.User).ToArray(),
                batch.NewMembers.Select(m => m.JoinedAt).ToArray()));
        }
        if (batch.MediaUsed.Count > 0)
        {
            sql.BatchCommands.Add(Command(UseMedia, batch.MediaUsed.Keys.ToArray(), batch.MediaUsed.Values.ToArray()));
        }
        var markers = batch.Markers.Where(m => m.Value.Changed).ToArray();
        if (markers.Length > 0)
        {
            var convs = markers.Select(m => m.Key.Conv).ToArray();
            var users = markers.Select(m => m.Key.User).ToArray();
            sql.BatchCommands.Add(Command(LockMarkers, convs, users));
            sql.BatchCommands.Add(Command(MoveMarkers, convs, users, markers.Select(m => m.Value.Delivered).ToArray(), markers.Select(m => m.Value.Read).ToArray()));
        }
        // Single statements riding along (named parameters: their SQL is shared with SQLite), each in the place of the table
        // it changes in the lock order: devices (created or revoked) with the devices the acks move, all locked first in key
        // order; users (last seen, privacy) after the heads, in key order (stable: one user's keep their queue order);
        // contacts last, in key order (two nodes may record the same pair: the second waits for the first's commit).
        var statements = new List<(BatchStatement Statement, NpgsqlBatchCommand Command)>(batch.Statements.Count);
        var lockedDevices = batch.DeviceAcks.Keys.Concat(batch.Statements.Where(s => s.Table == StatementTable.Devices).Select(s => s.Key))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (lockedDevices.Length > 0) sql.BatchCommands.Add(Command(LockDevices, (object)lockedDevices));
        AddStatements(sql, statements, batch.Statements.Where(s => s.Table == StatementTable.Devices));
        if (batch.DeviceAcks.Count > 0) sql.BatchCommands.Add(Command(MoveDevices, batch.DeviceAcks.Keys.ToArray(), batch.DeviceAcks.Values.ToArray()));
        var watermarks = batch.Watermarks.Where(w => w.Value.Changed).ToArray();
        if (watermarks.Length > 0)
        {
            sql.BatchCommands.Add(Command(MoveWatermarks, watermarks.Select(w => w.Key).ToArray(), watermarks.Select(w => w.Value.Delivered).ToArray()));
        }
        var movesHeads = !batch.Inbox.IsEmpty;
        if (movesHeads)
        {
            // Every pair whose block the apply read: a send hidden or not by it is stale if the answer changed since.
            AddHeadMoves(sql, batch.Inbox, batch.Messages, changed.Select(c => (c, c.IsGroup ? batch.GroupMembers.GetValueOrDefault(c.Conv) ?? [] : null)).ToArray(),
                batch.BlockChecks.Select(b => (b.Blocker, b.Blocked, batch.Blocks.Contains(b))).ToArray(), strict: true);
        }
        AddStatements(sql, statements, batch.Statements.Where(s => s.Table == StatementTable.Users).OrderBy(s => s.Key, StringComparer.Ordinal));
        AddStatements(sql, statements, batch.Statements.Where(s => s.Table == StatementTable.Contacts).OrderBy(s => s.Key, StringComparer.Ordinal));
        sql.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));

        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        StoreMetrics.RoundTrips.Add(1);
        StoreMetrics.Statements.Add(sql.BatchCommands.Count);
        if (markers.Length > 0) await reader.NextResultAsync(cancellationToken);
        if (lockedDevices.Length > 0) await reader.NextResultAsync(cancellationToken);
        if (movesHeads)
        {
            // The heads' lock statement, then the moves.
            await reader.NextResultAsync(cancellationToken);
            var (heads, conversations) = await ReadBasesAsync(reader, cancellationToken);
            batch.Inbox.Assign(heads);
            foreach (var conversation in changed) conversation.NBase = conversations[conversation.Conv];
        }
        // Drains the rest: an error in a later statement (the commit) surfaces here.
        while (await reader.NextResultAsync(cancellationToken))
        {
        }
        foreach (var (statement, command) in statements) statement.RowsAffected = checked((int)command.RecordsAffected);
    }

    private static void AddStatements(NpgsqlBatch sql, List<(BatchStatement, NpgsqlBatchCommand)> added, IEnumerable<BatchStatement> statements)
    {
        foreach (var statement in statements)
        {
            var command = new NpgsqlBatchCommand(statement.Sql);
            for (var i = 0; i < statement.Args.Length; i++)
            {
                command.Parameters.Add(new NpgsqlParameter("p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), statement.Args[i] ?? DBNull.Value));
            }
            added.Add((statement, command));
            sql.BatchCommands.Add(command);
        }
    }

    public override async Task WriteInboxAsync(InboxAppends inbox, CancellationToken cancellationToken)
    {
        await using var sql = new NpgsqlBatch(connection);
        AddHeadMoves(sql, inbox, [], [], [], strict: false);
        await using var reader = await sql.ExecuteReaderAsync(cancellationToken);
        StoreMetrics.RoundTrips.Add(1);
        StoreMetrics.Statements.Add(sql.BatchCommands.Count);
        await reader.NextResultAsync(cancellationToken);
        inbox.Assign((await ReadBasesAsync(reader, cancellationToken)).Heads);
    }

    /// <summary>The heads and the conversations' last_n before the move, as <see cref="MoveHeadsAndWrite"/> returns them.</summary>
    private static async Task<(Dictionary<string, long> Heads, Dictionary<string, long> Conversations)> ReadBasesAsync(NpgsqlDataReader reader,
        CancellationToken cancellationToken)
    {
        var heads = new Dictionary<string, long>(StringComparer.Ordinal);
        var conversations = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken)) (reader.GetInt32(0) == 0 ? heads : conversations)[reader.GetString(1)] = reader.GetInt64(2);
        return (heads, conversations);
    }

    /// <summary>
    /// Adds the heads' lock and <see cref="MoveHeadsAndWrite"/>; <paramref name="numbered"/> are the conversations whose
    /// messages are numbered in it, with the members the prefetch read for a group (null for a direct conversation).
    /// </summary>
    private static void AddHeadMoves(NpgsqlBatch sql, InboxAppends inbox, List<PendingMessage> messages,
        (ConversationRow Row, List<string>? Members)[] numbered, (string Blocker, string Blocked, bool Found)[] blockChecks, bool strict)
    {
        var users = inbox.SortedUsers();
        sql.BatchCommands.Add(Command(LockHeads, (object)users));
        var rows = inbox.Written.ToArray();
        var stored = messages.Select(m => m.Row).ToArray();
        sql.BatchCommands.Add(Command(strict ? MoveHeadsStrict : MoveHeadsLenient,
            users, users.Select(u => (long)inbox.Counts[u]).ToArray(),
            stored.Select(m => m.Conv).ToArray(), stored.Select(m => m.N).ToArray(), stored.Select(m => m.Id).ToArray(),
            stored.Select(m => m.Sender).ToArray(), stored.Select(m => m.Cid).ToArray(), stored.Select(m => m.Kind).ToArray(),
            stored.Select(m => m.Body).ToArray(), stored.Select(m => m.Ts).ToArray(), stored.Select(m => m.ExpiresAt).ToArray(),
            messages.Select(m => (long)m.SenderRow.Offset).ToArray(), stored.Select(m => m.Media?.Id).ToArray(),
            rows.Select(r => r.User).ToArray(), rows.Select(r => (long)r.Offset).ToArray(), rows.Select(r => (long)r.Kind).ToArray(),
            rows.Select(r => r.Conv).ToArray(), rows.Select(r => r.N).ToArray(), rows.Select(r => r.Actor).ToArray(),
            rows.Select(r => r.Status is { } status ? (long?)status : null).ToArray(), rows.Select(r => r.Data).ToArray(),
            stored.Select(m => m.ReplyTo).ToArray(), messages.Select(m => m.HiddenFrom).ToArray(),
            numbered.Select(c => c.Row.Conv).ToArray(), numbered.Select(c => c.Row.LastN).ToArray(), numbered.Select(c => c.Row.LastTs).ToArray(),
            numbered.Select(c => c.Members is null ? null : string.Join(' ', c.Members)).ToArray(), numbered.Select(c => c.Row.RetentionSeconds).ToArray(),
            rows.Select(r => r.NumberedIn).ToArray(), numbered.Select(c => c.Row.RequiredBase).ToArray(),
            blockChecks.Select(b => ConversationId.Direct(b.Blocker, b.Blocked).Value).ToArray(), blockChecks.Select(b => b.Blocker).ToArray(),
            blockChecks.Select(b => b.Blocked).ToArray(), blockChecks.Select(b => b.Found).ToArray()));
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}

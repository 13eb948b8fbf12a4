using Npgsql;

namespace Parley.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations, recorded in <c>schema_version</c>. Several nodes may start
/// at once: an advisory lock lets one migrate while the others wait.
/// </summary>
internal static class PostgresSchema
{
    private const long MigrationLock = 0x7061726C6579; // "parley"

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE users(
          username TEXT PRIMARY KEY,
          display_name TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          inbox_head BIGINT NOT NULL DEFAULT 0,
          delivered_seq BIGINT NOT NULL DEFAULT 0
        );
        CREATE TABLE devices(
          device_id TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          name TEXT NOT NULL,
          token_hash BYTEA NOT NULL UNIQUE,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL,
          revoked_at BIGINT,
          acked_seq BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX devices_username ON devices(username);
        CREATE TABLE conversations(
          conv TEXT PRIMARY KEY,
          is_group BIGINT NOT NULL,
          name TEXT,
          last_n BIGINT NOT NULL,
          last_ts BIGINT NOT NULL,
          retention_seconds BIGINT,
          created_at BIGINT NOT NULL
        );
        CREATE TABLE members(
          conv TEXT NOT NULL,
          username TEXT NOT NULL,
          delivered_n BIGINT NOT NULL DEFAULT 0,
          read_n BIGINT NOT NULL DEFAULT 0,
          joined_at BIGINT NOT NULL,
          is_admin BIGINT NOT NULL DEFAULT 0,
          joined_n BIGINT NOT NULL DEFAULT 0,
          agg_delivered_n BIGINT NOT NULL DEFAULT 0,
          agg_read_n BIGINT NOT NULL DEFAULT 0,
          PRIMARY KEY(conv, username)
        );
        CREATE INDEX members_username ON members(username);
        CREATE TABLE messages(
          conv TEXT NOT NULL,
          n BIGINT NOT NULL,
          id TEXT NOT NULL,
          sender TEXT NOT NULL,
          cid TEXT NOT NULL,
          kind TEXT NOT NULL,
          body BYTEA NOT NULL,
          ts BIGINT NOT NULL,
          expires_at BIGINT,
          sender_seq BIGINT NOT NULL,
          PRIMARY KEY(conv, n)
        );
        CREATE UNIQUE INDEX messages_sender_cid ON messages(sender, cid);
        CREATE TABLE inbox(
          username TEXT NOT NULL,
          seq BIGINT NOT NULL,
          kind BIGINT NOT NULL,
          conv TEXT NOT NULL,
          n BIGINT NOT NULL,
          actor TEXT NOT NULL,
          status BIGINT,
          data TEXT,
          PRIMARY KEY(username, seq)
        );
        """,
        // 2: retention (as SQLite's migration 3).
        """
        ALTER TABLE messages ADD COLUMN deleted_at BIGINT;
        CREATE INDEX messages_expires_at ON messages(expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX inbox_conv_n ON inbox(conv, n);
        """,
        // 3: past memberships (as SQLite's migration 4).
        """
        CREATE TABLE member_periods(
          conv TEXT NOT NULL,
          username TEXT NOT NULL,
          from_n BIGINT NOT NULL,
          to_n BIGINT NOT NULL,
          PRIMARY KEY(conv, username, from_n)
        );
        """,
        // Media: metadata keyed by the SHA-256 of the bytes (content addressing), who uploaded each, and the media a
        // message carries. `blob` names the files: each commit has its own, so a sweep and a concurrent upload of the
        // same bytes never delete each other's. `version` moves on every use, so a sweep deletes only what it saw.
        """
        CREATE TABLE media(
          media_id TEXT PRIMARY KEY,
          mime TEXT NOT NULL,
          size BIGINT NOT NULL,
          width BIGINT,
          height BIGINT,
          duration_ms BIGINT,
          thumbnail BIGINT NOT NULL,
          blob TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          last_used_at BIGINT NOT NULL,
          referenced BIGINT NOT NULL DEFAULT 0,
          version BIGINT NOT NULL DEFAULT 0
        );
        CREATE INDEX media_last_used ON media(last_used_at);
        CREATE TABLE media_uploads(
          media_id TEXT NOT NULL,
          username TEXT NOT NULL,
          uploaded_at BIGINT NOT NULL,
          PRIMARY KEY(media_id, username)
        );
        ALTER TABLE messages ADD COLUMN media_id TEXT;
        CREATE INDEX messages_media ON messages(media_id) WHERE media_id IS NOT NULL;
        """,
        // 5: presence (as SQLite's migration 6). Last seen (null: never seen) and who may see it
        // (LastSeenPrivacy: 0 everyone, 1 contacts, 2 nobody). Online state is never stored.
        """
        ALTER TABLE users ADD COLUMN last_seen BIGINT;
        ALTER TABLE users ADD COLUMN last_seen_privacy BIGINT NOT NULL DEFAULT 0;
        """,
        // 6: account deletion (as SQLite's migration 7). The row stays (the name stays taken), marked deleted.
        """
        ALTER TABLE users ADD COLUMN deleted_at BIGINT;
        """,
        // 7: the counters in narrow rows of their own (as SQLite's migration 8): a message's writer locks inbox heads, an
        // ack's its user's watermark, never the same row; updates of a few bytes stay on their page (HOT, fillfactor 50).
        """
        CREATE TABLE inbox_heads(
          username TEXT PRIMARY KEY,
          head BIGINT NOT NULL
        ) WITH (fillfactor = 50);
        CREATE TABLE inbox_delivered(
          username TEXT PRIMARY KEY,
          delivered_seq BIGINT NOT NULL
        ) WITH (fillfactor = 50);
        INSERT INTO inbox_heads(username, head) SELECT username, inbox_head FROM users WHERE deleted_at IS NULL;
        INSERT INTO inbox_delivered(username, delivered_seq) SELECT username, delivered_seq FROM users WHERE deleted_at IS NULL;
        ALTER TABLE users DROP COLUMN inbox_head, DROP COLUMN delivered_seq;
        """,
        // 8: the groups a user has left, found by user (convs with left: true), as SQLite's migration 9.
        """
        CREATE INDEX member_periods_username ON member_periods(username);
        """,
        // 9: security limits (as SQLite's migration 10): whom each user has written to, and the index of a user's uploads.
        """
        CREATE TABLE contacts(
          username TEXT NOT NULL,
          contact TEXT NOT NULL,
          since BIGINT NOT NULL,
          PRIMARY KEY(username, contact)
        );
        INSERT INTO contacts(username, contact, since)
          SELECT m.sender, b.username, MIN(m.ts) FROM messages m JOIN members b ON b.conv = m.conv AND b.username <> m.sender
          WHERE m.conv LIKE 'd:%' GROUP BY m.sender, b.username;
        CREATE INDEX media_uploads_username ON media_uploads(username);
        """,
        // 10: replies (v1.1; as SQLite's migration 11). The n of the message replied to, in the same conversation.
        """
        ALTER TABLE messages ADD COLUMN reply_to BIGINT;
        """,
        // 11: reactions (v1.1; as SQLite's migration 12). One per user and message; ord keeps the order they were first made.
        """
        CREATE TABLE reactions(
          conv TEXT NOT NULL,
          n BIGINT NOT NULL,
          username TEXT NOT NULL,
          emoji TEXT NOT NULL,
          ord BIGINT NOT NULL,
          created_at BIGINT NOT NULL,
          PRIMARY KEY(conv, n, username)
        );
        """,
        // 12: edits (v1.1; as SQLite's migration 13). When the body was last replaced; null for a message never edited.
        """
        ALTER TABLE messages ADD COLUMN edited_at BIGINT;
        """,
        // 13: blocking (v1.1; as SQLite's migration 14): who blocks whom; the user a direct message or reaction is hidden from;
        // the body the blocker still sees of a message edited while blocked.
        """
        CREATE TABLE blocks(
          blocker TEXT NOT NULL,
          blocked TEXT NOT NULL,
          since BIGINT NOT NULL,
          PRIMARY KEY(blocker, blocked)
        );
        ALTER TABLE messages ADD COLUMN hidden_from TEXT;
        ALTER TABLE reactions ADD COLUMN hidden_from TEXT;
        ALTER TABLE messages ADD COLUMN shown_body BYTEA;
        ALTER TABLE messages ADD COLUMN shown_edited_at BIGINT;
        CREATE INDEX blocks_blocked ON blocks(blocked);
        CREATE INDEX messages_hidden ON messages(conv, n) WHERE hidden_from IS NOT NULL;
        """,
        // 14: notes (issue 20; as SQLite's migration 15). The group events and retention changes of a conversation, kept
        // with its history; after_n places each in the timeline.
        """
        CREATE TABLE notes(
          id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          conv TEXT NOT NULL,
          after_n BIGINT NOT NULL,
          ts BIGINT NOT NULL,
          kind INTEGER NOT NULL,
          actor TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX notes_conv ON notes(conv, after_n);
        """,
        // 15: group invite links (v1.1; as SQLite's migration 16). At most one live code per group; revoking deletes it.
        """
        CREATE TABLE group_invites(
          conv TEXT NOT NULL PRIMARY KEY,
          code TEXT NOT NULL UNIQUE,
          created_by TEXT NOT NULL,
          created_at BIGINT NOT NULL
        );
        """,
        // 16: group descriptions (issue 20; as SQLite's migration 17). Null (a group made before this, or a direct
        // conversation) reads as none, like "".
        """
        ALTER TABLE conversations ADD COLUMN description TEXT;
        """,
    ];

    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_version(version INT NOT NULL)", cancellationToken);
            await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection);
            var version = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = version; i < Migrations.Length; i++)
            {
                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, tx, Migrations[i], cancellationToken);
                await ExecuteAsync(connection, tx, $"INSERT INTO schema_version(version) VALUES({i + 1})", cancellationToken);
                await tx.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}

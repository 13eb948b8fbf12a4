using Microsoft.Data.Sqlite;
using Parley.Core.Inbox;
using Parley.Storage.Relational;

namespace Parley.Storage.Sqlite;

/// <summary>The schema as numbered migrations; <c>PRAGMA user_version</c> records how far a database is.</summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE users(
          username TEXT PRIMARY KEY,
          display_name TEXT NOT NULL,
          password_hash TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          inbox_head INTEGER NOT NULL DEFAULT 0,
          delivered_seq INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE TABLE devices(
          device_id TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          name TEXT NOT NULL,
          token_hash BLOB NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          revoked_at INTEGER,
          acked_seq INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX devices_username ON devices(username);
        CREATE TABLE conversations(
          conv TEXT PRIMARY KEY,
          is_group INTEGER NOT NULL,
          name TEXT,
          last_n INTEGER NOT NULL,
          last_ts INTEGER NOT NULL,
          retention_seconds INTEGER,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE members(
          conv TEXT NOT NULL,
          username TEXT NOT NULL,
          delivered_n INTEGER NOT NULL DEFAULT 0,
          read_n INTEGER NOT NULL DEFAULT 0,
          joined_at INTEGER NOT NULL,
          PRIMARY KEY(conv, username)
        ) WITHOUT ROWID;
        CREATE INDEX members_username ON members(username);
        CREATE TABLE messages(
          conv TEXT NOT NULL,
          n INTEGER NOT NULL,
          id TEXT NOT NULL,
          sender TEXT NOT NULL,
          cid TEXT NOT NULL,
          kind TEXT NOT NULL,
          body BLOB NOT NULL,
          ts INTEGER NOT NULL,
          expires_at INTEGER,
          sender_seq INTEGER NOT NULL,
          PRIMARY KEY(conv, n)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX messages_sender_cid ON messages(sender, cid);
        CREATE TABLE inbox(
          username TEXT NOT NULL,
          seq INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          conv TEXT NOT NULL,
          n INTEGER NOT NULL,
          actor TEXT NOT NULL,
          status INTEGER,
          PRIMARY KEY(username, seq)
        ) WITHOUT ROWID;
        """,
        // 2: groups. Members know when they joined (they see messages after joined_n), whether they are
        // admins, and which aggregated receipts they have been sent for their own messages.
        """
        ALTER TABLE inbox ADD COLUMN data TEXT;
        ALTER TABLE members ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN joined_n INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN agg_delivered_n INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE members ADD COLUMN agg_read_n INTEGER NOT NULL DEFAULT 0;
        """,
        // 3: retention. The sweeper finds expired messages by expires_at and their inbox rows by (conv, n);
        // a message deleted for everyone keeps its row (for cid idempotency) without its body.
        """
        ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
        CREATE INDEX messages_expires_at ON messages(expires_at) WHERE expires_at IS NOT NULL;
        CREATE INDEX inbox_conv_n ON inbox(conv, n);
        """,
        // 4: past memberships, so a member who left and came back still sees what was sent while a member before.
        """
        CREATE TABLE member_periods(
          conv TEXT NOT NULL,
          username TEXT NOT NULL,
          from_n INTEGER NOT NULL,
          to_n INTEGER NOT NULL,
          PRIMARY KEY(conv, username, from_n)
        ) WITHOUT ROWID;
        """,
        // Media: metadata keyed by the SHA-256 of the bytes (content addressing), who uploaded each, and the media a
        // message carries. `blob` names the files: each commit has its own, so a sweep and a concurrent upload of the
        // same bytes never delete each other's. `version` moves on every use, so a sweep deletes only what it saw.
        """
        CREATE TABLE media(
          media_id TEXT PRIMARY KEY,
          mime TEXT NOT NULL,
          size INTEGER NOT NULL,
          width INTEGER,
          height INTEGER,
          duration_ms INTEGER,
          thumbnail INTEGER NOT NULL,
          blob TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          last_used_at INTEGER NOT NULL,
          referenced INTEGER NOT NULL DEFAULT 0,
          version INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX media_last_used ON media(last_used_at);
        CREATE TABLE media_uploads(
          media_id TEXT NOT NULL,
          username TEXT NOT NULL,
          uploaded_at INTEGER NOT NULL,
          PRIMARY KEY(media_id, username)
        ) WITHOUT ROWID;
        ALTER TABLE messages ADD COLUMN media_id TEXT;
        CREATE INDEX messages_media ON messages(media_id) WHERE media_id IS NOT NULL;
        """,
        // 6: presence. Last seen (null: never seen) and who may see it (LastSeenPrivacy: 0 everyone,
        // 1 contacts, 2 nobody). Online state is never stored.
        """
        ALTER TABLE users ADD COLUMN last_seen INTEGER;
        ALTER TABLE users ADD COLUMN last_seen_privacy INTEGER NOT NULL DEFAULT 0;
        """,
        // 7: account deletion. The row stays (the name stays taken, sent messages keep their sender), marked deleted.
        """
        ALTER TABLE users ADD COLUMN deleted_at INTEGER;
        """,
        // 8: the two counters every message moves leave the wide users row for narrow rows of their own: a commit then
        // dirties a page of heads and one of watermarks for many users instead of a users page each, and (PostgreSQL)
        // the writers of a message and of an ack lock different rows. A live account is one with an inbox head.
        """
        CREATE TABLE inbox_heads(
          username TEXT PRIMARY KEY,
          head INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE inbox_delivered(
          username TEXT PRIMARY KEY,
          delivered_seq INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO inbox_heads(username, head) SELECT username, inbox_head FROM users WHERE deleted_at IS NULL;
        INSERT INTO inbox_delivered(username, delivered_seq) SELECT username, delivered_seq FROM users WHERE deleted_at IS NULL;
        ALTER TABLE users DROP COLUMN inbox_head;
        ALTER TABLE users DROP COLUMN delivered_seq;
        """,
        // 9: the groups a user has left, found by user (convs with left: true).
        """
        CREATE INDEX member_periods_username ON member_periods(username);
        """,
        // 10: security limits. `contacts`: whom each user has written to (a direct message), which is who may see a
        // `contacts` last seen; filled from the messages already stored. The index counts a user's unused uploads (quota).
        """
        CREATE TABLE contacts(
          username TEXT NOT NULL,
          contact TEXT NOT NULL,
          since INTEGER NOT NULL,
          PRIMARY KEY(username, contact)
        ) WITHOUT ROWID;
        INSERT INTO contacts(username, contact, since)
          SELECT m.sender, b.username, MIN(m.ts) FROM messages m JOIN members b ON b.conv = m.conv AND b.username <> m.sender
          WHERE m.conv LIKE 'd:%' GROUP BY m.sender, b.username;
        CREATE INDEX media_uploads_username ON media_uploads(username);
        """,
        // 11: replies (v1.1). The n of the message replied to, in the same conversation; null for most messages.
        """
        ALTER TABLE messages ADD COLUMN reply_to INTEGER;
        """,
        // 12: reactions (v1.1). One per user and message; ord keeps the order they were first made (a replacement keeps it).
        """
        CREATE TABLE reactions(
          conv TEXT NOT NULL,
          n INTEGER NOT NULL,
          username TEXT NOT NULL,
          emoji TEXT NOT NULL,
          ord INTEGER NOT NULL,
          created_at INTEGER NOT NULL,
          PRIMARY KEY(conv, n, username)
        ) WITHOUT ROWID;
        """,
        // 13: edits (v1.1). When the body was last replaced; null for a message never edited.
        """
        ALTER TABLE messages ADD COLUMN edited_at INTEGER;
        """,
        // 14: blocking (v1.1). `blocks`: who blocks whom (per account). A direct message sent to someone who blocks its
        // sender keeps that someone in hidden_from, and so does a reaction made then by the blocked sender: never shown to them.
        // A visible message its sender edits while blocked keeps, in shown_body and shown_edited_at, what the blocker still sees.
        """
        CREATE TABLE blocks(
          blocker TEXT NOT NULL,
          blocked TEXT NOT NULL,
          since INTEGER NOT NULL,
          PRIMARY KEY(blocker, blocked)
        ) WITHOUT ROWID;
        ALTER TABLE messages ADD COLUMN hidden_from TEXT;
        ALTER TABLE reactions ADD COLUMN hidden_from TEXT;
        ALTER TABLE messages ADD COLUMN shown_body BLOB;
        ALTER TABLE messages ADD COLUMN shown_edited_at INTEGER;
        CREATE INDEX blocks_blocked ON blocks(blocked);
        CREATE INDEX messages_hidden ON messages(conv, n) WHERE hidden_from IS NOT NULL;
        """,
        // 15: notes (issue 20): the group events and retention changes of a conversation, one row per change, kept with its
        // history. after_n: the conversation's last n when it happened, the note's place in the timeline.
        """
        CREATE TABLE notes(
          id INTEGER PRIMARY KEY,
          conv TEXT NOT NULL,
          after_n INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          kind INTEGER NOT NULL,
          actor TEXT NOT NULL,
          data TEXT NOT NULL
        );
        CREATE INDEX notes_conv ON notes(conv, after_n);
        """,
        // 16: group invite links (v1.1). At most one live code per group; revoking deletes it.
        """
        CREATE TABLE group_invites(
          conv TEXT NOT NULL PRIMARY KEY,
          code TEXT NOT NULL UNIQUE,
          created_by TEXT NOT NULL,
          created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 17: group descriptions (issue 20). What a group is about, shown under its name; null (a group made before this, or
        // a direct conversation) reads as none, like "".
        """
        ALTER TABLE conversations ADD COLUMN description TEXT;
        """,
        // 18: a direct message's inbox rows are found by their seqs, not by an index on the inbox's (conv, n): that index was
        // written by every message (about 5 of the ~26 pages a light commit dirtied) and served only the retention sweep and
        // delete for everyone. The sender's seq was kept already (sender_seq); the recipient's now is too (null: the
        // recipient got no row, as when it blocks the sender). A group's rows stay indexed, partially: they are contiguous in
        // it (one message, all its members), and a query that uses it repeats its condition (MessageEntries).
        $"""
        ALTER TABLE messages ADD COLUMN recipient_seq INTEGER;
        UPDATE messages SET recipient_seq = (SELECT i.seq FROM inbox i WHERE i.conv = messages.conv AND i.n = messages.n
          AND i.kind = {(int)InboxEntryKind.Message} AND i.username <> messages.sender LIMIT 1)
        WHERE conv LIKE 'd:%';
        CREATE INDEX inbox_group_conv_n ON inbox(conv, n) WHERE {MessageEntries.GroupCondition};
        DROP INDEX inbox_conv_n;
        """,
    ];

    public static void Migrate(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = version; i < Migrations.Length; i++)
        {
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = Migrations[i] + $";\nPRAGMA user_version = {i + 1};";
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }
}

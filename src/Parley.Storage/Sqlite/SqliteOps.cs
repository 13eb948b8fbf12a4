using Microsoft.Data.Sqlite;
using Parley.Core.Inbox;
using Parley.Core.Messages;
using Parley.Core.Users;

namespace Parley.Storage.Sqlite;

// The writes, one small class each; they run only inside the writer's transaction.

internal sealed class AppendMessageOp(NewMessage message) : SqliteWriteOp<AppendResult>
{
    protected override AppendResult Run(SqliteWriteContext ctx)
    {
        var existing = SqliteRows.FindBySenderCid(ctx, message.Sender, message.Cid);
        if (existing is not null) return new AppendResult(AppendStatus.Duplicate, existing, []);
        foreach (var participant in message.Participants)
        {
            if (participant != message.Sender && !ctx.UserExists(participant))
            {
                return new AppendResult(AppendStatus.ParticipantNotFound, null, []);
            }
        }

        var n = (long)ctx.Scalar(
            """
            INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES($0, 0, NULL, 1, $1, NULL, $1)
            ON CONFLICT(conv) DO UPDATE SET last_n = last_n + 1, last_ts = excluded.last_ts RETURNING last_n
            """, message.Conv, message.Ts)!;
        if (n == 1)
        {
            foreach (var participant in message.Participants)
            {
                ctx.Execute("INSERT OR IGNORE INTO members(conv, username, joined_at) VALUES($0, $1, $2)", message.Conv, participant, message.Ts);
            }
        }

        // The sender's own entry comes first so that its seq can be stored with the message.
        var senderSeq = (long)ctx.Scalar("SELECT inbox_head + 1 FROM users WHERE username = $0", message.Sender)!;
        var stored = new StoredMessage(message.Id, message.Conv, n, message.Sender, message.Cid, message.Kind, message.Body, message.Ts, message.ExpiresAt, senderSeq);
        ctx.Execute(
            "INSERT INTO messages(conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq) VALUES($0, $1, $2, $3, $4, $5, $6, $7, $8, $9)",
            stored.Conv, stored.N, stored.Id, stored.Sender, stored.Cid, stored.Kind, stored.Body, stored.Ts, stored.ExpiresAt, stored.SenderSeq);
        ctx.AppendInbox(message.Sender, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        foreach (var participant in message.Participants)
        {
            if (participant != message.Sender) ctx.AppendInbox(participant, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        }
        return new AppendResult(AppendStatus.Stored, stored, ctx.TakeWrites());
    }
}

internal sealed class AckOp(string user, string deviceId, long seq) : SqliteWriteOp<IReadOnlyList<InboxWrite>>
{
    protected override IReadOnlyList<InboxWrite> Run(SqliteWriteContext ctx)
    {
        long head, delivered;
        using (var reader = ctx.Command("SELECT inbox_head, delivered_seq FROM users WHERE username = $0", user).ExecuteReader())
        {
            if (!reader.Read()) return [];
            (head, delivered) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var upTo = Math.Min(seq, head);
        ctx.Execute("UPDATE devices SET acked_seq = $1 WHERE device_id = $0 AND acked_seq < $1", deviceId, upTo);
        if (upTo <= delivered) return [];

        // A message is delivered to a user once any device acked it: the user's watermark moves, and every
        // conversation with others' messages in the newly covered range gets its delivered marker moved.
        var reached = new List<(string Conv, long N)>();
        using (var reader = ctx.Command(
            "SELECT conv, MAX(n) FROM inbox WHERE username = $0 AND seq > $1 AND seq <= $2 AND kind = 1 AND actor <> $0 GROUP BY conv",
            user, delivered, upTo).ExecuteReader())
        {
            while (reader.Read()) reached.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        foreach (var (conv, n) in reached) ctx.AdvanceMarkers(user, conv, n, 0);
        ctx.Execute("UPDATE users SET delivered_seq = $1 WHERE username = $0", user, upTo);
        return ctx.TakeWrites();
    }
}

internal sealed class MarkReadOp(string user, string conv, long upTo) : SqliteWriteOp<IReadOnlyList<InboxWrite>>
{
    protected override IReadOnlyList<InboxWrite> Run(SqliteWriteContext ctx)
    {
        if (ctx.Scalar("SELECT last_n FROM conversations WHERE conv = $0", conv) is not long lastN) return [];
        ctx.AdvanceMarkers(user, conv, 0, Math.Min(upTo, lastN));
        return ctx.TakeWrites();
    }
}

internal sealed class CreateUserOp(NewUser user) : SqliteWriteOp<bool>
{
    protected override bool Run(SqliteWriteContext ctx) =>
        ctx.Execute(
            "INSERT INTO users(username, display_name, password_hash, created_at) VALUES($0, $1, $2, $3) ON CONFLICT(username) DO NOTHING",
            user.Username, user.DisplayName, user.PasswordHash, user.CreatedAt) == 1;
}

internal sealed class CreateDeviceOp(NewDevice device) : SqliteWriteOp<bool>
{
    protected override bool Run(SqliteWriteContext ctx)
    {
        // A new device starts with every event still held (cursor 0).
        ctx.Execute(
            "INSERT INTO devices(device_id, username, name, token_hash, created_at, expires_at) VALUES($0, $1, $2, $3, $4, $5)",
            device.DeviceId, device.Username, device.DeviceName, device.TokenHash, device.CreatedAt, device.ExpiresAt);
        return true;
    }
}

internal sealed class RevokeDeviceOp(string deviceId, long now) : SqliteWriteOp<bool>
{
    protected override bool Run(SqliteWriteContext ctx) =>
        ctx.Execute("UPDATE devices SET revoked_at = $1 WHERE device_id = $0 AND revoked_at IS NULL", deviceId, now) == 1;
}

/// <summary>Row mapping shared by the writer and the readers.</summary>
internal static class SqliteRows
{
    public const string MessageColumns = "conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq";

    public static StoredMessage? FindBySenderCid(SqliteWriteContext ctx, string sender, string cid)
    {
        using var reader = ctx.Command($"SELECT {MessageColumns} FROM messages WHERE sender = $0 AND cid = $1", sender, cid).ExecuteReader();
        return reader.Read() ? ReadMessage(reader, 0) : null;
    }

    public static StoredMessage ReadMessage(SqliteDataReader r, int o) => new(
        Id: r.GetString(o + 2), Conv: r.GetString(o), N: r.GetInt64(o + 1), Sender: r.GetString(o + 3), Cid: r.GetString(o + 4),
        Kind: r.GetString(o + 5), Body: (byte[])r.GetValue(o + 6), Ts: r.GetInt64(o + 7),
        ExpiresAt: r.IsDBNull(o + 8) ? null : r.GetInt64(o + 8), SenderSeq: r.GetInt64(o + 9));
}

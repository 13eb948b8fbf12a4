using System.Data.Common;
using Parley.Core.Inbox;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

// The writes, one small class each; they run only inside the writer's transaction.

internal sealed class AppendMessageOp(NewMessage message) : WriteOp<AppendResult>
{
    protected override AppendResult Run(WriteContext ctx)
    {
        var existing = RelationalRows.FindBySenderCid(ctx, message.Sender, message.Cid);
        if (existing is not null) return new AppendResult(AppendStatus.Duplicate, existing, []);
        return message.Participants is null ? AppendToGroup(ctx) : AppendDirect(ctx, message.Participants);
    }

    private AppendResult AppendToGroup(WriteContext ctx)
    {
        if (ctx.Scalar("SELECT 1 FROM members WHERE conv = @p0 AND username = @p1", message.Conv, message.Sender) is null)
        {
            return new AppendResult(ctx.Scalar("SELECT 1 FROM conversations WHERE conv = @p0 AND is_group = 1", message.Conv) is null
                ? AppendStatus.ConversationNotFound : AppendStatus.NotMember, null, []);
        }
        if (!TryUseMedia(ctx, out var media)) return new AppendResult(AppendStatus.MediaNotFound, null, []);
        long n;
        long? retention;
        using (var reader = ctx.Command("UPDATE conversations SET last_n = last_n + 1, last_ts = @p1 WHERE conv = @p0 RETURNING last_n, retention_seconds",
            message.Conv, message.Ts).ExecuteReader())
        {
            reader.Read();
            (n, retention) = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
        }

        // Fan-out in one statement: every member's inbox head moves at once, and the seqs come back.
        var seqs = new List<(string User, long Seq)>();
        using (var reader = ctx.Command(
            "UPDATE users SET inbox_head = inbox_head + 1 WHERE username IN (SELECT username FROM members WHERE conv = @p0) RETURNING username, inbox_head",
            message.Conv).ExecuteReader())
        {
            while (reader.Read()) seqs.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        var senderSeq = seqs.First(s => s.User == message.Sender).Seq;
        var stored = Insert(ctx, n, retention, senderSeq, media);
        ctx.InsertInboxMany(seqs, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        return new AppendResult(AppendStatus.Stored, stored, ctx.TakeWrites());
    }

    /// <summary>
    /// Checks and marks the message's media once every other check has passed and before anything is written, so a
    /// refused send leaves the media as it was and takes no n.
    /// </summary>
    private bool TryUseMedia(WriteContext ctx, out MediaInfo? media)
    {
        media = message.MediaId is { } mediaId ? MediaRows.UseInMessage(ctx, mediaId, message.Sender, message.Ts) : null;
        return message.MediaId is null || media is not null;
    }

    /// <param name="retention">The conversation's retention now: it applies to messages sent after it was set.</param>
    private StoredMessage Insert(WriteContext ctx, long n, long? retention, long senderSeq, MediaInfo? media)
    {
        // A message's own ttl only shortens the conversation's retention.
        long? ttl = (retention, message.TtlSeconds) switch
        {
            (null, var own) => own,
            (var conv, null) => conv,
            (var conv, var own) => Math.Min(conv.Value, own.Value),
        };
        long? expiresAt = ttl is null ? null : message.Ts + ttl.Value * 1000;
        var stored = new StoredMessage(message.Id, message.Conv, n, message.Sender, message.Cid, message.Kind, message.Body, message.Ts, expiresAt, senderSeq, media);
        ctx.Execute(
            "INSERT INTO messages(conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq, media_id) VALUES(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10)",
            stored.Conv, stored.N, stored.Id, stored.Sender, stored.Cid, stored.Kind, stored.Body, stored.Ts, stored.ExpiresAt, stored.SenderSeq, media?.Id);
        return stored;
    }

    private AppendResult AppendDirect(WriteContext ctx, IReadOnlyList<string> participants)
    {
        foreach (var participant in participants)
        {
            if (participant != message.Sender && !ctx.UserExists(participant))
            {
                return new AppendResult(AppendStatus.ParticipantNotFound, null, []);
            }
        }
        if (!TryUseMedia(ctx, out var media)) return new AppendResult(AppendStatus.MediaNotFound, null, []);

        long n;
        long? retention;
        using (var reader = ctx.Command(
            """
            INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES(@p0, 0, NULL, 1, @p1, NULL, @p1)
            ON CONFLICT(conv) DO UPDATE SET last_n = conversations.last_n + 1, last_ts = excluded.last_ts RETURNING last_n, retention_seconds
            """, message.Conv, message.Ts).ExecuteReader())
        {
            reader.Read();
            (n, retention) = (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1));
        }
        if (n == 1)
        {
            foreach (var participant in participants)
            {
                ctx.Execute("INSERT INTO members(conv, username, joined_at) VALUES(@p0, @p1, @p2) ON CONFLICT DO NOTHING", message.Conv, participant, message.Ts);
            }
        }

        // The sender's own entry takes its seq first so that the seq can be stored with the message.
        var senderSeq = ctx.TakeInboxSeq(message.Sender);
        var stored = Insert(ctx, n, retention, senderSeq, media);
        ctx.InsertInbox(message.Sender, senderSeq, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        foreach (var participant in participants)
        {
            if (participant != message.Sender) ctx.AppendInbox(participant, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        }
        return new AppendResult(AppendStatus.Stored, stored, ctx.TakeWrites());
    }
}

internal sealed class AckOp(string user, string deviceId, long seq) : WriteOp<MarkerResult>
{
    protected override MarkerResult Run(WriteContext ctx)
    {
        long head, delivered;
        using (var reader = ctx.Command("SELECT inbox_head, delivered_seq FROM users WHERE username = @p0", user).ExecuteReader())
        {
            if (!reader.Read()) return MarkerResult.None;
            (head, delivered) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        var upTo = Math.Min(seq, head);
        ctx.Execute("UPDATE devices SET acked_seq = @p1 WHERE device_id = @p0 AND acked_seq < @p1", deviceId, upTo);
        if (upTo <= delivered) return MarkerResult.None;

        // A message is delivered to a user once any device acked it: the user's watermark moves, and every
        // conversation with others' messages in the newly covered range gets its delivered marker moved.
        var reached = new List<(string Conv, long N)>();
        using (var reader = ctx.Command(
            "SELECT conv, MAX(n) FROM inbox WHERE username = @p0 AND seq > @p1 AND seq <= @p2 AND kind = 1 AND actor <> @p0 GROUP BY conv",
            user, delivered, upTo).ExecuteReader())
        {
            while (reader.Read()) reached.Add((reader.GetString(0), reader.GetInt64(1)));
        }
        var groups = new List<string>();
        foreach (var (conv, n) in reached)
        {
            if (ctx.AdvanceMarkers(user, conv, n, 0) && conv.StartsWith("g:", StringComparison.Ordinal)) groups.Add(conv);
        }
        ctx.Execute("UPDATE users SET delivered_seq = @p1 WHERE username = @p0", user, upTo);
        return new MarkerResult(ctx.TakeWrites(), groups);
    }
}

internal sealed class MarkReadOp(string user, string conv, long upTo) : WriteOp<MarkerResult>
{
    protected override MarkerResult Run(WriteContext ctx)
    {
        if (ctx.Scalar("SELECT last_n FROM conversations WHERE conv = @p0", conv) is not long lastN) return MarkerResult.None;
        var moved = ctx.AdvanceMarkers(user, conv, 0, Math.Min(upTo, lastN));
        return new MarkerResult(ctx.TakeWrites(), moved && conv.StartsWith("g:", StringComparison.Ordinal) ? [conv] : []);
    }
}

internal sealed class CreateUserOp(NewUser user) : WriteOp<bool>
{
    protected override bool Run(WriteContext ctx) =>
        ctx.Execute(
            "INSERT INTO users(username, display_name, password_hash, created_at) VALUES(@p0, @p1, @p2, @p3) ON CONFLICT(username) DO NOTHING",
            user.Username, user.DisplayName, user.PasswordHash, user.CreatedAt) == 1;
}

internal sealed class CreateDeviceOp(NewDevice device) : WriteOp<bool>
{
    protected override bool Run(WriteContext ctx)
    {
        // A new device starts with every event still held (cursor 0).
        ctx.Execute(
            "INSERT INTO devices(device_id, username, name, token_hash, created_at, expires_at) VALUES(@p0, @p1, @p2, @p3, @p4, @p5)",
            device.DeviceId, device.Username, device.DeviceName, device.TokenHash, device.CreatedAt, device.ExpiresAt);
        return true;
    }
}

internal sealed class RevokeDeviceOp(string deviceId, long now) : WriteOp<bool>
{
    protected override bool Run(WriteContext ctx) =>
        ctx.Execute("UPDATE devices SET revoked_at = @p1 WHERE device_id = @p0 AND revoked_at IS NULL", deviceId, now) == 1;
}

/// <summary>Row mapping shared by the writer and the readers.</summary>
internal static class RelationalRows
{
    public const string MessageColumns = "conv, n, id, sender, cid, kind, body, ts, expires_at, sender_seq";

    /// <summary>What <see cref="ReadMessage"/> reads: the message's columns, then its media's from <see cref="MediaRows.JoinOn"/>.</summary>
    public const string MessageAndMediaColumns = MessageColumns + ", " + MediaRows.InfoColumns;

    public static StoredMessage? FindBySenderCid(WriteContext ctx, string sender, string cid)
    {
        using var reader = ctx.Command(
            $"SELECT {MessageAndMediaColumns} FROM messages {MediaRows.JoinOn("messages")} WHERE sender = @p0 AND cid = @p1", sender, cid).ExecuteReader();
        return reader.Read() ? ReadMessage(reader, 0) : null;
    }

    public static StoredMessage ReadMessage(DbDataReader r, int o) => new(
        Id: r.GetString(o + 2), Conv: r.GetString(o), N: r.GetInt64(o + 1), Sender: r.GetString(o + 3), Cid: r.GetString(o + 4),
        Kind: r.GetString(o + 5), Body: (byte[])r.GetValue(o + 6), Ts: r.GetInt64(o + 7),
        ExpiresAt: r.IsDBNull(o + 8) ? null : r.GetInt64(o + 8), SenderSeq: r.GetInt64(o + 9), Media: MediaRows.ReadInfo(r, o + 10));
}

using System.Data.Common;
using Parley.Core.Conversations;
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
        var others = new List<string>(1);
        foreach (var participant in participants)
        {
            if (participant != message.Sender) others.Add(participant);
        }
        // Taking the recipient's seq is itself the check that it is a live account (see TakeDirectSeqs), but a media
        // check marks the media, so with media (and for more than one other participant) the accounts are checked first.
        if (message.MediaId is not null || others.Count > 1)
        {
            foreach (var other in others)
            {
                if (!ctx.UserExists(other)) return new AppendResult(AppendStatus.ParticipantNotFound, null, []);
            }
        }
        if (!TryUseMedia(ctx, out var media)) return new AppendResult(AppendStatus.MediaNotFound, null, []);

        // The seqs first: the sender's is stored with the message.
        var seqs = new List<(string User, long Seq)>(1 + others.Count);
        if (others.Count == 1)
        {
            if (!ctx.TakeDirectSeqs(message.Sender, others[0], seqs)) return new AppendResult(AppendStatus.ParticipantNotFound, null, []);
        }
        else
        {
            seqs.Add((message.Sender, ctx.TakeInboxSeq(message.Sender)));
            foreach (var other in others) seqs.Add((other, ctx.TakeInboxSeq(other)));
        }

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

        var stored = Insert(ctx, n, retention, seqs[0].Seq, media);
        // The sender's entry first, as the seqs were taken.
        ctx.InsertInboxRows(seqs, InboxEntryKind.Message, message.Conv, n, message.Sender, null, stored);
        return new AppendResult(AppendStatus.Stored, stored, ctx.TakeWrites());
    }
}

internal sealed class AckOp(string user, string deviceId, long seq) : WriteOp<MarkerResult>
{
    protected override MarkerResult Run(WriteContext ctx)
    {
        // A message is delivered to a user once any device acked it: the user's watermark moves, and every
        // conversation with others' messages in the newly covered range gets its delivered marker moved.
        // One read gives the user's row and, per such conversation, its newest message in that range (no row: no user).
        long head = 0, delivered = 0;
        var found = false;
        var reached = new List<(string Conv, long N)>();
        using (var reader = ctx.Command(
            $"""
            SELECT u.inbox_head, u.delivered_seq, i.conv, MAX(i.n) FROM users u
            LEFT JOIN inbox i ON i.username = u.username AND i.seq > u.delivered_seq AND i.seq <= u.inbox_head AND i.seq <= @p1 AND i.kind = {(int)InboxEntryKind.Message} AND i.actor <> u.username
            WHERE u.username = @p0 GROUP BY u.username, i.conv
            """, user, seq).ExecuteReader())
        {
            while (reader.Read())
            {
                (found, head, delivered) = (true, reader.GetInt64(0), reader.GetInt64(1));
                if (!reader.IsDBNull(2)) reached.Add((reader.GetString(2), reader.GetInt64(3)));
            }
        }
        if (!found) return MarkerResult.None;
        var upTo = Math.Min(seq, head);
        ctx.Execute("UPDATE devices SET acked_seq = @p1 WHERE device_id = @p0 AND acked_seq < @p1", deviceId, upTo);
        if (upTo <= delivered) return MarkerResult.None;

        var groups = new List<string>();
        foreach (var (conv, n) in reached)
        {
            if (ctx.AdvanceDelivered(user, conv, n) && ConversationId.IsGroupId(conv)) groups.Add(conv);
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
        return new MarkerResult(ctx.TakeWrites(), moved && ConversationId.IsGroupId(conv) ? [conv] : []);
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

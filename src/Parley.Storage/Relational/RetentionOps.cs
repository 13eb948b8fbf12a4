using Parley.Core.Conversations;
using Parley.Core.Inbox;
using Parley.Core.Messages;

namespace Parley.Storage.Relational;

// Retention, deletion for everyone, and the sweeper's batch; each in a transaction of its own.

internal sealed class SetRetentionOp(string conv, string actor, IReadOnlyList<string>? participants, long? ttlSeconds, long now)
    : WriteOp<ChangeResult>
{
    protected override async Task<ChangeResult> RunAsync(WriteContext ctx)
    {
        IReadOnlyList<string> members;
        if (participants is null)
        {
            var group = await GroupState.LoadAsync(ctx, conv);
            if (group is null) return ChangeResult.Fail(ChangeStatus.NotFound);
            if (!group.IsAdmin(actor)) return ChangeResult.Fail(ChangeStatus.Forbidden);
            members = group.Members.Select(m => m.User).ToList();
        }
        else
        {
            foreach (var p in participants)
            {
                if (p != actor && !await ctx.UserExistsAsync(p)) return ChangeResult.Fail(ChangeStatus.NotFound);
            }
            // A direct conversation may be given a retention before its first message. The upsert locks the row either way,
            // so a first message being numbered on another node waits for this change, or this change for it.
            await ctx.ExecuteAsync(
                """
                INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES(@p0, 0, NULL, 0, @p1, NULL, @p1)
                ON CONFLICT(conv) DO UPDATE SET last_ts = excluded.last_ts
                """, conv, now);
            foreach (var p in participants) await ctx.ExecuteAsync("INSERT INTO members(conv, username, joined_at) VALUES(@p0, @p1, @p2) ON CONFLICT DO NOTHING", conv, p, now);
            members = participants;
        }
        await ctx.ExecuteAsync("UPDATE conversations SET retention_seconds = @p1, last_ts = @p2 WHERE conv = @p0", conv, ttlSeconds, now);
        ctx.AppendInboxMany(members, InboxEntryKind.Settings, conv, ttlSeconds ?? -1, actor, null);
        await GroupWrites.NoteAsync(ctx, conv, InboxEntryKind.Settings, actor, now, InboxData.Object(w =>
        {
            if (ttlSeconds is { } ttl) w.WriteNumber("retention", ttl);
            else w.WriteNull("retention");
        }));
        return new ChangeResult(ChangeStatus.Ok, ctx.TakeWrites());
    }
}

internal sealed class DeleteMessageOp(string conv, string actor, long n, long now) : WriteOp<ChangeResult>
{
    protected override async Task<ChangeResult> RunAsync(WriteContext ctx)
    {
        var sender = await ctx.ScalarAsync(
            $"SELECT sender FROM messages WHERE conv = @p0 AND n = @p1 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > @p2){ctx.ForUpdate}",
            conv, n, now) as string;
        if (sender is null) return ChangeResult.Fail(ChangeStatus.NotFound);
        var members = await ctx.ListAsync("SELECT username, is_admin FROM members WHERE conv = @p0", r => (User: r.GetString(0), Admin: r.GetInt64(1) != 0), conv);
        var isAdmin = members.Exists(m => m.Admin && m.User == actor);
        var isGroup = ConversationId.IsGroupId(conv);
        if (sender != actor && !(isGroup && isAdmin)) return ChangeResult.Fail(ChangeStatus.Forbidden);

        // The row stays (its cid must still answer as a duplicate); the body goes, and so do the inbox
        // entries that would still deliver it.
        // The media reference goes with the body: the media is no longer reachable through this message and,
        // once nothing else uses it, the sweeper deletes it.
        await ctx.ExecuteAsync("UPDATE messages SET body = @p2, deleted_at = @p3, media_id = NULL WHERE conv = @p0 AND n = @p1", conv, n, Array.Empty<byte>(), now);
        await MessageEntries.DeleteAsync(ctx, conv, n);
        await ctx.ExecuteAsync("DELETE FROM reactions WHERE conv = @p0 AND n = @p1", conv, n);
        // A deleted account among a direct conversation's members gets nothing (it has no inbox head any more).
        ctx.AppendInboxMany(members.ConvertAll(m => m.User), InboxEntryKind.Deleted, conv, n, actor, null);
        return new ChangeResult(ChangeStatus.Ok, ctx.TakeWrites());
    }
}

/// <summary>
/// One bounded batch of the sweeper: the oldest expired messages and their inbox entries. Expired
/// messages are never served even before this runs (reads filter by expires_at); this frees the space.
/// </summary>
internal sealed class SweepExpiredOp(long now, int batch) : WriteOp<int>
{
    protected override async Task<int> RunAsync(WriteContext ctx)
    {
        var expired = await ctx.ListAsync("SELECT conv, n FROM messages WHERE expires_at IS NOT NULL AND expires_at <= @p0 ORDER BY expires_at LIMIT @p1",
            r => (Conv: r.GetString(0), N: r.GetInt64(1)), now, batch);
        foreach (var (conv, n) in expired)
        {
            await MessageEntries.DeleteAsync(ctx, conv, n);
            await ctx.ExecuteAsync("DELETE FROM messages WHERE conv = @p0 AND n = @p1", conv, n);
            await ctx.ExecuteAsync("DELETE FROM reactions WHERE conv = @p0 AND n = @p1", conv, n);
        }
        return expired.Count;
    }
}

using System.Text.Json;
using Parley.Core.Groups;
using Parley.Core.Inbox;

namespace Parley.Storage.Relational;

// Group changes, one small class each, each in a transaction of its own. Each locks the group's conversation row first
// (so changes to one group, and sends to it, take turns), checks the rules against the group as loaded, applies the
// change and writes one `group` event per member.

/// <summary>A group as loaded inside a write: members in the order they joined.</summary>
internal sealed record GroupState(string Conv, string Name, string Description, long? RetentionSeconds, long LastN, List<(string User, bool Admin)> Members)
{
    public bool IsMember(string user) => Members.Exists(m => m.User == user);

    public bool IsAdmin(string user) => Members.Exists(m => m.User == user && m.Admin);

    public GroupInfo Info() => new(Conv, Name, Description,
        Members.Select(m => m.User).Order(StringComparer.Ordinal).ToList(),
        Members.Where(m => m.Admin).Select(m => m.User).Order(StringComparer.Ordinal).ToList(), RetentionSeconds);

    /// <summary>Loads the group, locking its conversation row until the transaction ends; null when there is no such group.</summary>
    public static async Task<GroupState?> LoadAsync(WriteContext ctx, string conv)
    {
        var row = await ctx.FirstAsync($"SELECT name, retention_seconds, last_n, description FROM conversations WHERE conv = @p0 AND is_group = 1{ctx.ForUpdate}",
            r => (Name: r.GetString(0), Retention: r.IsDBNull(1) ? (long?)null : r.GetInt64(1), LastN: r.GetInt64(2),
                Description: r.IsDBNull(3) ? "" : r.GetString(3)), conv);
        if (row.Name is null) return null;
        var members = await ctx.ListAsync("SELECT username, is_admin FROM members WHERE conv = @p0 ORDER BY joined_at, username",
            r => (r.GetString(0), r.GetInt64(1) != 0), conv);
        return new GroupState(conv, row.Name, row.Description, row.Retention, row.LastN, members);
    }
}

/// <summary>What group ops share: events, membership rows.</summary>
internal static class GroupWrites
{
    /// <summary>Writes one group event into the inbox of each of <paramref name="recipients"/>.</summary>
    public static async Task EventAsync(WriteContext ctx, string conv, string by, long now, IEnumerable<string> recipients, Action<Utf8JsonWriter> fields)
    {
        // A change to the group is activity: it moves the group up the conversation list.
        await ctx.ExecuteAsync("UPDATE conversations SET last_ts = @p1 WHERE conv = @p0", conv, now);
        var data = InboxData.Object(fields);
        ctx.AppendInboxMany(recipients.Distinct(StringComparer.Ordinal), InboxEntryKind.Group, conv, 0, by, null, data);
        await NoteAsync(ctx, conv, InboxEntryKind.Group, by, now, data);
    }

    /// <summary>Keeps a change with the conversation's history, after its last message (the op holds the conversation's row).</summary>
    public static Task NoteAsync(WriteContext ctx, string conv, InboxEntryKind kind, string by, long now, string data) =>
        ctx.ExecuteAsync("INSERT INTO notes(conv, after_n, ts, kind, actor, data) SELECT conv, last_n, @p1, @p2, @p3, @p4 FROM conversations WHERE conv = @p0",
            conv, now, (int)kind, by, data);

    public static void WriteNames(Utf8JsonWriter w, string property, IEnumerable<string> names)
    {
        w.WriteStartArray(property);
        foreach (var name in names) w.WriteStringValue(name);
        w.WriteEndArray();
    }

    /// <summary>
    /// A new member starts with its markers at the group's last message: it never receives the earlier
    /// ones, so it must not hold back the aggregated receipts for them.
    /// </summary>
    public static Task AddMemberAsync(WriteContext ctx, string conv, string user, bool admin, long lastN, long now) =>
        ctx.ExecuteAsync(
            "INSERT INTO members(conv, username, joined_at, is_admin, joined_n, delivered_n, read_n, agg_delivered_n, agg_read_n) VALUES(@p0, @p1, @p2, @p3, @p4, @p4, @p4, @p4, @p4)",
            conv, user, now, admin ? 1 : 0, lastN);

    /// <summary>A member stops being one: the period of membership is kept (history stays visible for it), the row goes.</summary>
    public static async Task EndMembershipAsync(WriteContext ctx, string conv, string user, long lastN)
    {
        await ctx.ExecuteAsync(
            "INSERT INTO member_periods(conv, username, from_n, to_n) SELECT conv, username, joined_n, @p2 FROM members WHERE conv = @p0 AND username = @p1 ON CONFLICT DO NOTHING",
            conv, user, lastN);
        await ctx.ExecuteAsync("DELETE FROM members WHERE conv = @p0 AND username = @p1", conv, user);
    }

    /// <summary>Whether one of <paramref name="users"/> blocks <paramref name="actor"/> (v1.1: the actor may not put them in a group).</summary>
    public static async Task<bool> AnyBlocksAsync(WriteContext ctx, IEnumerable<string> users, string actor)
    {
        foreach (var user in users)
        {
            if (user != actor && await ctx.ScalarAsync("SELECT 1 FROM blocks WHERE blocker = @p0 AND blocked = @p1", user, actor) is not null) return true;
        }
        return false;
    }

    public static async Task<GroupResult> DoneAsync(WriteContext ctx, string conv) =>
        new(GroupStatus.Ok, (await GroupState.LoadAsync(ctx, conv))!.Info(), ctx.TakeWrites());
}

internal sealed class CreateGroupOp(string conv, string creator, string name, IReadOnlyList<string> members, int maxMembers, long now)
    : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        var everyone = members.Where(m => m != creator).Prepend(creator).ToList();
        if (everyone.Count > maxMembers) return GroupResult.Fail(GroupStatus.GroupFull);
        foreach (var member in everyone)
        {
            if (!await ctx.UserExistsAsync(member)) return GroupResult.Fail(GroupStatus.UserNotFound);
        }
        if (await GroupWrites.AnyBlocksAsync(ctx, everyone, creator)) return GroupResult.Fail(GroupStatus.Forbidden);
        await ctx.ExecuteAsync("INSERT INTO conversations(conv, is_group, name, last_n, last_ts, retention_seconds, created_at) VALUES(@p0, 1, @p1, 0, @p2, NULL, @p2)",
            conv, name, now);
        foreach (var member in everyone) await GroupWrites.AddMemberAsync(ctx, conv, member, member == creator, 0, now);
        await GroupWrites.EventAsync(ctx, conv, creator, now, everyone, w =>
        {
            w.WriteString("event", "created");
            GroupWrites.WriteNames(w, "members", everyone.Order(StringComparer.Ordinal));
            w.WriteString("name", name);
        });
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

internal sealed class AddMembersOp(string conv, string actor, IReadOnlyList<string> members, int maxMembers, long now) : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupResult.Fail(GroupStatus.GroupNotFound);
        if (!group.IsAdmin(actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        var added = members.Where(m => !group.IsMember(m)).ToList();
        foreach (var member in added)
        {
            if (!await ctx.UserExistsAsync(member)) return GroupResult.Fail(GroupStatus.UserNotFound);
        }
        if (await GroupWrites.AnyBlocksAsync(ctx, added, actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        if (group.Members.Count + added.Count > maxMembers) return GroupResult.Fail(GroupStatus.GroupFull);
        if (added.Count == 0) return new GroupResult(GroupStatus.Ok, group.Info(), []);
        foreach (var member in added) await GroupWrites.AddMemberAsync(ctx, conv, member, false, group.LastN, now);
        await GroupWrites.EventAsync(ctx, conv, actor, now, group.Members.Select(m => m.User).Concat(added), w =>
        {
            w.WriteString("event", "added");
            GroupWrites.WriteNames(w, "members", added.Order(StringComparer.Ordinal));
        });
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

internal sealed class RemoveMemberOp(string conv, string actor, string member, long now) : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupResult.Fail(GroupStatus.GroupNotFound);
        if (!group.IsAdmin(actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        if (!group.IsMember(member)) return GroupResult.Fail(GroupStatus.UserNotFound);
        // The removed member gets the event too, then stops being a member.
        await GroupWrites.EventAsync(ctx, conv, actor, now, group.Members.Select(m => m.User), w =>
        {
            w.WriteString("event", "removed");
            GroupWrites.WriteNames(w, "members", [member]);
        });
        await GroupWrites.EndMembershipAsync(ctx, conv, member, group.LastN);
        await LeaveOp.PromoteIfNoAdminAsync(ctx, conv, actor, now);
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

internal sealed class LeaveOp(string conv, string actor, long now) : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupResult.Fail(GroupStatus.GroupNotFound);
        if (!group.IsMember(actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        await LeaveAsync(ctx, group, actor, now);
        var after = (await GroupState.LoadAsync(ctx, conv))!;
        return new GroupResult(GroupStatus.Ok, after.Info(), ctx.TakeWrites());
    }

    /// <summary>A member leaves: everyone (the member too) gets <c>left</c>, and an admin is promoted when none is left.</summary>
    public static async Task LeaveAsync(WriteContext ctx, GroupState group, string actor, long now)
    {
        await GroupWrites.EventAsync(ctx, group.Conv, actor, now, group.Members.Select(m => m.User), w =>
        {
            w.WriteString("event", "left");
            w.WriteString("member", actor);
        });
        await GroupWrites.EndMembershipAsync(ctx, group.Conv, actor, group.LastN);
        await PromoteIfNoAdminAsync(ctx, group.Conv, actor, now);
    }

    /// <summary>When no admin is left, the longest-standing member becomes one (and everyone is told).</summary>
    public static async Task PromoteIfNoAdminAsync(WriteContext ctx, string conv, string by, long now)
    {
        var group = (await GroupState.LoadAsync(ctx, conv))!;
        if (group.Members.Count == 0 || group.Members.Exists(m => m.Admin)) return;
        var promoted = group.Members[0].User;
        await ctx.ExecuteAsync("UPDATE members SET is_admin = 1 WHERE conv = @p0 AND username = @p1", conv, promoted);
        await GroupWrites.EventAsync(ctx, conv, by, now, group.Members.Select(m => m.User), w =>
        {
            w.WriteString("event", "admin");
            w.WriteString("member", promoted);
            w.WriteBoolean("admin", true);
        });
    }
}

internal sealed class RenameGroupOp(string conv, string actor, string name, long now) : WriteOp<GroupResult>
{
    protected override Task<GroupResult> RunAsync(WriteContext ctx) => GroupTextWrite.RunAsync(ctx, conv, actor, now, "name", "renamed", name);
}

/// <summary>An admin sets the group's description (issue 20), as <see cref="RenameGroupOp"/> sets its name: <c>""</c> clears it.</summary>
internal sealed class DescribeGroupOp(string conv, string actor, string description, long now) : WriteOp<GroupResult>
{
    protected override Task<GroupResult> RunAsync(WriteContext ctx) =>
        GroupTextWrite.RunAsync(ctx, conv, actor, now, "description", "described", description);
}

/// <summary>
/// An admin sets one of the group's texts (its name or description): the column and the event's field share a name, and
/// every member gets a <c>group</c> event of the given kind carrying the new value.
/// </summary>
internal static class GroupTextWrite
{
    public static async Task<GroupResult> RunAsync(WriteContext ctx, string conv, string actor, long now, string field, string eventKind, string value)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupResult.Fail(GroupStatus.GroupNotFound);
        if (!group.IsAdmin(actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        await ctx.ExecuteAsync($"UPDATE conversations SET {field} = @p1 WHERE conv = @p0", conv, value);
        await GroupWrites.EventAsync(ctx, conv, actor, now, group.Members.Select(m => m.User), w =>
        {
            w.WriteString("event", eventKind);
            w.WriteString(field, value);
        });
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

internal sealed class SetAdminOp(string conv, string actor, string member, bool admin, long now) : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupResult.Fail(GroupStatus.GroupNotFound);
        if (!group.IsAdmin(actor)) return GroupResult.Fail(GroupStatus.Forbidden);
        if (!group.IsMember(member)) return GroupResult.Fail(GroupStatus.UserNotFound);
        if (group.IsAdmin(member) == admin) return new GroupResult(GroupStatus.Ok, group.Info(), []);
        if (!admin && group.Members.Count(m => m.Admin) == 1) return GroupResult.Fail(GroupStatus.Conflict);
        await ctx.ExecuteAsync("UPDATE members SET is_admin = @p2 WHERE conv = @p0 AND username = @p1", conv, member, admin ? 1 : 0);
        await GroupWrites.EventAsync(ctx, conv, actor, now, group.Members.Select(m => m.User), w =>
        {
            w.WriteString("event", "admin");
            w.WriteString("member", member);
            w.WriteBoolean("admin", admin);
        });
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

/// <summary>
/// The aggregated receipts of one group: for each member as a sender, the lowest marker among the
/// other members says up to where everyone has the sender's messages.
/// </summary>
internal sealed class AggregateReceiptsOp(string conv) : WriteOp<IReadOnlyList<InboxWrite>>
{
    protected override async Task<IReadOnlyList<InboxWrite>> RunAsync(WriteContext ctx)
    {
        // The member rows are locked in username order (as a hot batch locks marker rows), so two aggregations of one
        // group (a grain moving between nodes) take turns and write each receipt once.
        var members = await ctx.ListAsync(
            $"SELECT username, delivered_n, read_n, agg_delivered_n, agg_read_n FROM members WHERE conv = @p0 ORDER BY username{ctx.ForUpdate}",
            r => (User: r.GetString(0), Delivered: r.GetInt64(1), Read: r.GetInt64(2), AggDelivered: r.GetInt64(3), AggRead: r.GetInt64(4)), conv);
        if (members.Count < 2) return [];
        var delivered = LowestTwo(members.Select(m => (m.User, m.Delivered)));
        var read = LowestTwo(members.Select(m => (m.User, m.Read)));
        var moves = members
            .Select(m => (Member: m, DeliveredTo: delivered.ExcludingOf(m.User), ReadTo: Math.Min(read.ExcludingOf(m.User), delivered.ExcludingOf(m.User))))
            .Where(x => x.DeliveredTo > x.Member.AggDelivered || x.ReadTo > x.Member.AggRead)
            .ToList();
        if (moves.Count == 0) return [];

        // Who sent what in the newly covered ranges, in one read (a receipt is owed only for a sender's own messages).
        var from = moves.Min(x => Math.Min(x.Member.AggDelivered, x.Member.AggRead));
        var upTo = moves.Max(x => x.DeliveredTo);
        var sent = await ctx.ListAsync("SELECT sender, n FROM messages WHERE conv = @p0 AND n > @p1 AND n <= @p2",
            r => (Sender: r.GetString(0), N: r.GetInt64(1)), conv, from, upTo);
        bool SentBetween(string sender, long after, long through) => sent.Exists(m => m.Sender == sender && m.N > after && m.N <= through);

        foreach (var (m, deliveredTo, readTo) in moves)
        {
            if (deliveredTo > m.AggDelivered && SentBetween(m.User, m.AggDelivered, deliveredTo))
            {
                ctx.AppendInbox(m.User, InboxEntryKind.Receipt, conv, deliveredTo, "*", ReceiptStatus.Delivered);
            }
            if (readTo > m.AggRead && SentBetween(m.User, m.AggRead, readTo))
            {
                ctx.AppendInbox(m.User, InboxEntryKind.Receipt, conv, readTo, "*", ReceiptStatus.Read);
            }
            await ctx.ExecuteAsync("UPDATE members SET agg_delivered_n = @p2, agg_read_n = @p3 WHERE conv = @p0 AND username = @p1",
                conv, m.User, Math.Max(m.AggDelivered, deliveredTo), Math.Max(m.AggRead, readTo));
        }
        return ctx.TakeWrites();
    }

    private static Lowest LowestTwo(IEnumerable<(string User, long Value)> values)
    {
        var lowest = new Lowest(null, long.MaxValue, long.MaxValue);
        foreach (var (user, value) in values)
        {
            if (value < lowest.First) lowest = new Lowest(user, value, lowest.First);
            else if (value < lowest.Second) lowest = lowest with { Second = value };
        }
        return lowest;
    }

    /// <summary>The lowest value and who holds it, and the second lowest: the minimum over all but one member.</summary>
    private readonly record struct Lowest(string? FirstUser, long First, long Second)
    {
        public long ExcludingOf(string user) => user == FirstUser ? Second : First;
    }
}

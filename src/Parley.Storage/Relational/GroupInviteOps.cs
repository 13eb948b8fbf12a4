using Parley.Core.Groups;

namespace Parley.Storage.Relational;

// Group invite links (v1.1): rare writes that lock the group's conversation row first (GroupState.LoadAsync), so making,
// revoking and using a group's code, and every other change to the group, take turns on every node.

/// <summary><c>group.invite</c>: the group's live code, or <paramref name="newCode"/> made live when it has none (admins only).</summary>
internal sealed class CreateInviteOp(string conv, string actor, string newCode, long now) : WriteOp<(GroupStatus, string?)>
{
    protected override async Task<(GroupStatus, string?)> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return (GroupStatus.GroupNotFound, null);
        if (!group.IsAdmin(actor)) return (GroupStatus.Forbidden, null);
        if (await ctx.ScalarAsync("SELECT code FROM group_invites WHERE conv = @p0", conv) is string live) return (GroupStatus.Ok, live);
        await ctx.ExecuteAsync("INSERT INTO group_invites(conv, code, created_by, created_at) VALUES(@p0, @p1, @p2, @p3)", conv, newCode, actor, now);
        return (GroupStatus.Ok, newCode);
    }
}

/// <summary><c>group.revokeInvite</c>: the group's code stops working (admins only; Ok when there was none).</summary>
internal sealed class RevokeInviteOp(string conv, string actor) : WriteOp<GroupStatus>
{
    protected override async Task<GroupStatus> RunAsync(WriteContext ctx)
    {
        var group = await GroupState.LoadAsync(ctx, conv);
        if (group is null) return GroupStatus.GroupNotFound;
        if (!group.IsAdmin(actor)) return GroupStatus.Forbidden;
        await ctx.ExecuteAsync("DELETE FROM group_invites WHERE conv = @p0", conv);
        return GroupStatus.Ok;
    }
}

/// <summary>
/// <c>group.join</c>: the joiner becomes a member of the code's group, seeing messages from then on, and everyone (the joiner
/// too) gets <c>joined</c>. Blocks do not apply. An unknown or revoked code is GroupNotFound; a member already, Ok unchanged.
/// </summary>
internal sealed class JoinByInviteOp(string code, string joiner, int maxMembers, long now) : WriteOp<GroupResult>
{
    protected override async Task<GroupResult> RunAsync(WriteContext ctx)
    {
        if (await ctx.ScalarAsync("SELECT conv FROM group_invites WHERE code = @p0", code) is not string conv) return GroupResult.Fail(GroupStatus.GroupNotFound);
        var group = await GroupState.LoadAsync(ctx, conv);
        // Under the group's lock, the code must still be its live one (a revoke or a new code may have committed meanwhile).
        if (group is null || await ctx.ScalarAsync("SELECT 1 FROM group_invites WHERE conv = @p0 AND code = @p1", conv, code) is null)
        {
            return GroupResult.Fail(GroupStatus.GroupNotFound);
        }
        if (group.IsMember(joiner)) return new GroupResult(GroupStatus.Ok, group.Info(), []);
        if (!await ctx.UserExistsAsync(joiner)) return GroupResult.Fail(GroupStatus.UserNotFound);
        if (group.Members.Count + 1 > maxMembers) return GroupResult.Fail(GroupStatus.GroupFull);
        await GroupWrites.AddMemberAsync(ctx, conv, joiner, false, group.LastN, now);
        await GroupWrites.EventAsync(ctx, conv, joiner, now, group.Members.Select(m => m.User).Append(joiner), w =>
        {
            w.WriteString("event", "joined");
            w.WriteString("member", joiner);
        });
        // A group every member had left has no admin: the joiner becomes one, as the longest-standing member would.
        await LeaveOp.PromoteIfNoAdminAsync(ctx, conv, joiner, now);
        return await GroupWrites.DoneAsync(ctx, conv);
    }
}

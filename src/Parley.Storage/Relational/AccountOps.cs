using Parley.Core.Users;

namespace Parley.Storage.Relational;

// Accounts and devices.

/// <summary>
/// A new account: its row, and its two counters in rows of their own (the inbox head and the delivered watermark),
/// which every message moves: narrow rows keep those writes small and apart from the account's other columns.
/// </summary>
internal sealed class CreateUserOp(NewUser user) : WriteOp<bool>
{
    protected override async Task<bool> RunAsync(WriteContext ctx)
    {
        if (await ctx.ExecuteAsync(
            "INSERT INTO users(username, display_name, password_hash, created_at) VALUES(@p0, @p1, @p2, @p3) ON CONFLICT(username) DO NOTHING",
            user.Username, user.DisplayName, user.PasswordHash, user.CreatedAt) != 1)
        {
            return false;
        }
        await ctx.ExecuteAsync("INSERT INTO inbox_heads(username, head) VALUES(@p0, 0)", user.Username);
        await ctx.ExecuteAsync("INSERT INTO inbox_delivered(username, delivered_seq) VALUES(@p0, 0)", user.Username);
        return true;
    }
}

/// <summary>Device writes: single statements that ride in a hot batch's flush.</summary>
internal static class DeviceOps
{
    /// <summary>A new device starts with every event still held (cursor 0).</summary>
    public static StatementOp<bool> Create(NewDevice device) =>
        new(StatementTable.Devices, device.DeviceId,
            "INSERT INTO devices(device_id, username, name, token_hash, created_at, expires_at) VALUES(@p0, @p1, @p2, @p3, @p4, @p5)",
            [device.DeviceId, device.Username, device.DeviceName, device.TokenHash, device.CreatedAt, device.ExpiresAt], rows => rows == 1);

    public static StatementOp<bool> Revoke(string deviceId, long now) =>
        new(StatementTable.Devices, deviceId, "UPDATE devices SET revoked_at = @p1 WHERE device_id = @p0 AND revoked_at IS NULL", [deviceId, now], rows => rows == 1);
}

/// <summary>
/// Deletes an account in one transaction. The users row stays, marked deleted, so the name stays taken and messages the
/// user sent keep their sender; everything that would let the account act or receive goes, its two counter rows too
/// (a live account is one that has an inbox head).
/// </summary>
internal sealed class DeleteAccountOp(string user, long now) : WriteOp<AccountDeletion?>
{
    protected override async Task<AccountDeletion?> RunAsync(WriteContext ctx)
    {
        if (!await ctx.UserExistsAsync(user)) return null;
        // Nothing more goes into the user's inbox, the group events below included: nobody is left to push them to.
        ctx.Inbox.Drop(user);

        // The watermark, then the groups' conversation rows: the global lock order (HotBatch).
        var delivered = (long)(await ctx.ScalarAsync($"SELECT delivered_seq FROM inbox_delivered WHERE username = @p0{ctx.ForUpdate}", user))!;
        var groups = await ctx.ListAsync("SELECT m.conv FROM members m JOIN conversations c ON c.conv = m.conv WHERE m.username = @p0 AND c.is_group = 1 ORDER BY m.conv",
            r => r.GetString(0), user);
        foreach (var conv in groups) await LeaveOp.LeaveAsync(ctx, (await GroupState.LoadAsync(ctx, conv))!, user, now);

        // Senders of what never reached the user are told, as they are when a message waits too long.
        var pending = await ctx.ListAsync(PendingEntries.Select, r => PendingEntries.Read(r, user), user, delivered, now, long.MaxValue);
        foreach (var entry in pending) await PendingEntries.FailAsync(ctx, entry, "gone");

        // Locked in key order before the update, which would lock them in whatever order it finds them (HotBatch's lock order).
        var devices = await ctx.ListAsync($"SELECT device_id FROM devices WHERE username = @p0 AND revoked_at IS NULL ORDER BY device_id{ctx.ForUpdate}", r => r.GetString(0), user);
        await ctx.ExecuteAsync("UPDATE devices SET revoked_at = @p1 WHERE username = @p0 AND revoked_at IS NULL", user, now);
        await ctx.ExecuteAsync("DELETE FROM inbox WHERE username = @p0", user);
        await ctx.ExecuteAsync("DELETE FROM inbox_delivered WHERE username = @p0", user);
        await ctx.ExecuteAsync("DELETE FROM inbox_heads WHERE username = @p0", user);
        await ctx.ExecuteAsync("DELETE FROM blocks WHERE blocker = @p0 OR blocked = @p0", user);
        await ctx.ExecuteAsync("UPDATE users SET deleted_at = @p1, password_hash = '', last_seen = NULL WHERE username = @p0", user, now);
        return new AccountDeletion(devices, ctx.TakeWrites(), groups);
    }
}

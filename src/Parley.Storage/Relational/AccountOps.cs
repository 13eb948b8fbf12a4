using Parley.Core.Users;

namespace Parley.Storage.Relational;

/// <summary>
/// Deletes an account in one transaction. The users row stays, marked deleted, so the name stays taken and messages the
/// user sent keep their sender; everything that would let the account act or receive goes.
/// </summary>
internal sealed class DeleteAccountOp(string user, long now) : WriteOp<AccountDeletion?>
{
    protected override AccountDeletion? Run(WriteContext ctx)
    {
        long delivered;
        using (var r = ctx.Command("SELECT delivered_seq FROM users WHERE username = @p0 AND deleted_at IS NULL", user).ExecuteReader())
        {
            if (!r.Read()) return null;
            delivered = r.GetInt64(0);
        }

        // Senders of what never reached the user are told, as they are when a message waits too long.
        var pending = new List<PendingEntry>();
        using (var r = ctx.Command(PendingEntries.Select, user, delivered, now, long.MaxValue).ExecuteReader())
        {
            while (r.Read()) pending.Add(PendingEntries.Read(r, user));
        }
        foreach (var entry in pending) PendingEntries.Fail(ctx, entry, "gone");

        var groups = new List<string>();
        using (var r = ctx.Command("SELECT m.conv FROM members m JOIN conversations c ON c.conv = m.conv WHERE m.username = @p0 AND c.is_group = 1 ORDER BY m.conv", user)
            .ExecuteReader())
        {
            while (r.Read()) groups.Add(r.GetString(0));
        }
        foreach (var conv in groups) LeaveOp.Leave(ctx, GroupState.Load(ctx, conv)!, user, now);

        var devices = new List<string>();
        using (var r = ctx.Command("SELECT device_id FROM devices WHERE username = @p0 AND revoked_at IS NULL", user).ExecuteReader())
        {
            while (r.Read()) devices.Add(r.GetString(0));
        }
        ctx.Execute("UPDATE devices SET revoked_at = @p1 WHERE username = @p0 AND revoked_at IS NULL", user, now);
        ctx.Execute("DELETE FROM inbox WHERE username = @p0", user);
        ctx.Execute("UPDATE users SET deleted_at = @p1, password_hash = '', last_seen = NULL WHERE username = @p0", user, now);

        // The user's own copies of the group events just went with the inbox: nobody is left to push them to.
        var writes = ctx.TakeWrites().Where(w => w.User != user).ToList();
        return new AccountDeletion(devices, writes, groups);
    }
}

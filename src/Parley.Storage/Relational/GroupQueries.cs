using System.Data.Common;
using Parley.Core.Groups;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The group reads, run on a read connection.</summary>
internal static class GroupQueries
{
    /// <summary>The group, when <paramref name="viewer"/> is a member.</summary>
    public static async Task<(GroupStatus Status, GroupInfo? Group)> GroupAsync(DbConnection c, string conv, string viewer, CancellationToken cancellationToken)
    {
        var found = await FirstAsync(c, "SELECT name, retention_seconds, description FROM conversations WHERE conv = @p0 AND is_group = 1",
            r => (Name: r.GetString(0), Retention: r.IsDBNull(1) ? (long?)null : r.GetInt64(1), Description: r.IsDBNull(2) ? "" : r.GetString(2)),
            cancellationToken, conv);
        if (found.Name is null) return (GroupStatus.GroupNotFound, null);
        var rows = await ListAsync(c, "SELECT username, is_admin FROM members WHERE conv = @p0 ORDER BY username",
            r => (User: r.GetString(0), Admin: r.GetInt64(1) != 0), cancellationToken, conv);
        var members = rows.Select(m => m.User).ToList();
        var admins = rows.Where(m => m.Admin).Select(m => m.User).ToList();
        return members.Contains(viewer) ? (GroupStatus.Ok, new GroupInfo(conv, found.Name, found.Description, members, admins, found.Retention)) : (GroupStatus.Forbidden, null);
    }

    /// <summary>Who has received and read message <paramref name="n"/>, for a viewer who is a member.</summary>
    public static async Task<(GroupStatus Status, MessageReceipts? Receipts)> ReceiptsAsync(DbConnection c, string conv, long n, string viewer, long now,
        CancellationToken cancellationToken)
    {
        // A deleted or expired message has no receipts to tell: it reads as absent.
        var sender = await ScalarAsync(c, "SELECT sender FROM messages WHERE conv = @p0 AND n = @p1 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > @p2)",
            cancellationToken, conv, n, now) as string;
        var rows = await ListAsync(c, "SELECT username, delivered_n, read_n FROM members WHERE conv = @p0 ORDER BY username",
            r => (User: r.GetString(0), Delivered: r.GetInt64(1), Read: r.GetInt64(2)), cancellationToken, conv);
        if (!rows.Exists(m => m.User == viewer)) return (GroupStatus.Forbidden, null);
        if (sender is null) return (GroupStatus.UserNotFound, null);
        var others = rows.Where(m => m.User != sender).ToList();
        return (GroupStatus.Ok, new MessageReceipts(
            others.Where(m => m.Delivered >= n).Select(m => m.User).ToList(),
            others.Where(m => m.Read >= n).Select(m => m.User).ToList()));
    }
}

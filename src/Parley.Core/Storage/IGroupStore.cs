using Parley.Core.Groups;
using Parley.Core.Inbox;

namespace Parley.Core.Storage;

/// <summary>
/// Groups: membership, admins, names. Every change is checked and applied in one transaction (so two
/// admins acting at once cannot break the rules), and writes a <c>group</c> event into every member's inbox.
/// </summary>
public interface IGroupStore
{
    Task<GroupResult> CreateGroupAsync(string conv, string creator, string name, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken);

    Task<GroupResult> AddMembersAsync(string conv, string actor, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken);

    Task<GroupResult> RemoveMemberAsync(string conv, string actor, string member, long now, CancellationToken cancellationToken);

    /// <summary>The caller leaves; when the last admin leaves, the longest-standing member becomes admin.</summary>
    Task<GroupResult> LeaveAsync(string conv, string actor, long now, CancellationToken cancellationToken);

    Task<GroupResult> RenameAsync(string conv, string actor, string name, long now, CancellationToken cancellationToken);

    Task<GroupResult> SetAdminAsync(string conv, string actor, string member, bool admin, long now, CancellationToken cancellationToken);

    /// <summary>The group, when <paramref name="viewer"/> is a member.</summary>
    Task<(GroupStatus Status, GroupInfo? Group)> GetGroupAsync(string conv, string viewer, CancellationToken cancellationToken);

    /// <summary>Per-member delivery of message <paramref name="n"/>, for a viewer who is a member.</summary>
    Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(string conv, long n, string viewer, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the group's aggregated receipts: every sender whose messages all other current members have
    /// received (or read) gets one <c>receipt</c> with <c>by: "*"</c>.
    /// </summary>
    Task<IReadOnlyList<InboxWrite>> AggregateReceiptsAsync(string conv, CancellationToken cancellationToken);
}

using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Inbox;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>
/// Groups: membership, admins, names, descriptions. Every change is checked and applied in one transaction (so two
/// admins acting at once cannot break the rules), and writes a <c>group</c> event into every member's inbox.
/// </summary>
public interface IGroupStore
{
    Task<GroupResult> CreateGroupAsync(ConversationId conv, Username creator, string name, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken);

    Task<GroupResult> AddMembersAsync(ConversationId conv, Username actor, IReadOnlyList<string> members, int maxMembers, long now, CancellationToken cancellationToken);

    Task<GroupResult> RemoveMemberAsync(ConversationId conv, Username actor, Username member, long now, CancellationToken cancellationToken);

    /// <summary>The caller leaves; when the last admin leaves, the longest-standing member becomes admin.</summary>
    Task<GroupResult> LeaveAsync(ConversationId conv, Username actor, long now, CancellationToken cancellationToken);

    Task<GroupResult> RenameAsync(ConversationId conv, Username actor, string name, long now, CancellationToken cancellationToken);

    /// <summary>An admin sets the group's description (<c>""</c>: none); every member gets a <c>described</c> event.</summary>
    Task<GroupResult> DescribeAsync(ConversationId conv, Username actor, string description, long now, CancellationToken cancellationToken);

    Task<GroupResult> SetAdminAsync(ConversationId conv, Username actor, Username member, bool admin, long now, CancellationToken cancellationToken);

    /// <summary>The group, when <paramref name="viewer"/> is a member.</summary>
    Task<(GroupStatus Status, GroupInfo? Group)> GetGroupAsync(ConversationId conv, Username viewer, CancellationToken cancellationToken);

    /// <summary>Per-member delivery of message <paramref name="n"/>, for a viewer who is a member.</summary>
    Task<(GroupStatus Status, MessageReceipts? Receipts)> GetReceiptsAsync(ConversationId conv, long n, Username viewer, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the group's aggregated receipts: every sender whose messages all other current members have
    /// received (or read) gets one <c>receipt</c> with <c>by: "*"</c>.
    /// </summary>
    Task<IReadOnlyList<InboxWrite>> AggregateReceiptsAsync(ConversationId conv, CancellationToken cancellationToken);
}

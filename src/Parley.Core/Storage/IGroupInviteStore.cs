using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>Group invite links (v1.1): at most one live code per group; whoever has it may join.</summary>
public interface IGroupInviteStore
{
    /// <summary>
    /// The group's live code, or, when it has none, <paramref name="newCode"/> made live. GroupNotFound when there is no
    /// such group; Forbidden when <paramref name="actor"/> is not one of its admins.
    /// </summary>
    Task<(GroupStatus Status, string? Code)> CreateInviteAsync(ConversationId conv, Username actor, string newCode, long now, CancellationToken cancellationToken);

    /// <summary>The group's live code stops working (Ok also when there was none). GroupNotFound, Forbidden as for creating one.</summary>
    Task<GroupStatus> RevokeInviteAsync(ConversationId conv, Username actor, CancellationToken cancellationToken);

    /// <summary>
    /// <paramref name="joiner"/> becomes a member of the group whose live code is <paramref name="code"/>: a <c>joined</c>
    /// group event goes to every member and the joiner, who sees messages from then on. Already a member: Ok, nothing
    /// changes, no event. GroupNotFound for an unknown or revoked code; GroupFull at <paramref name="maxMembers"/>.
    /// </summary>
    Task<GroupResult> JoinByInviteAsync(string code, Username joiner, int maxMembers, long now, CancellationToken cancellationToken);
}

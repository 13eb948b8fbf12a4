using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Storage.Relational;

// Group invite links (v1.1): rare writes, each under the group's lock.
public abstract partial class RelationalStore : IGroupInviteStore
{
    public Task<(GroupStatus Status, string? Code)> CreateInviteAsync(ConversationId conv, Username actor, string newCode, long now,
        CancellationToken cancellationToken) =>
        Writer.WriteAsync(new CreateInviteOp(conv.Value, actor.Value, newCode, now), cancellationToken);

    public Task<GroupStatus> RevokeInviteAsync(ConversationId conv, Username actor, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new RevokeInviteOp(conv.Value, actor.Value), cancellationToken);

    public Task<GroupResult> JoinByInviteAsync(string code, Username joiner, int maxMembers, long now, CancellationToken cancellationToken) =>
        Writer.WriteAsync(new JoinByInviteOp(code, joiner.Value, maxMembers, now), cancellationToken);
}

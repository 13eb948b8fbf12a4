using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway.Handlers;

/// <summary>A conversation the caller may use: direct (a participant) or group (a current member).</summary>
/// <param name="Conv">The conversation id.</param>
/// <param name="VisibleAfterN">Messages at or before this n were sent before the caller joined (0 for direct).</param>
internal readonly record struct ConversationAccessGrant(ConversationId Conv, long VisibleAfterN);

/// <summary>Resolves a request's <c>conv</c> for the caller, or replies with the error that says why not.</summary>
internal sealed class ConversationAccess(IMessageStore store)
{
    public async ValueTask<ConversationAccessGrant?> ResolveAsync(Connection connection, string? rid, string conv, CancellationToken cancellationToken)
    {
        if (!ConversationId.TryParse(conv, out var id))
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, "conv must be d:<user>:<user> (sorted) or g:<id>"));
            return null;
        }
        if (id.IsDirect)
        {
            if (id.HasParticipant(connection.User.Value)) return new ConversationAccessGrant(id, 0);
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.Forbidden, "you are not a member of this conversation"));
            return null;
        }
        var (status, joinedN) = await store.GetGroupMembershipAsync(id, connection.User, cancellationToken);
        if (status == GroupStatus.Ok) return new ConversationAccessGrant(id, joinedN);
        connection.Reply(GroupReplies.Error(rid, status));
        return null;
    }
}

using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>react</c> (v1.1): sets, replaces or takes back the caller's reaction. A message the caller cannot see — not a
/// participant or member, deleted, expired — is <c>not_found</c> (never <c>forbidden</c>: the protocol does not tell
/// a stranger that the conversation exists).
/// </summary>
internal sealed class ReactHandler(IReactionStore store, InboxPublisher publisher, TimeProvider time)
{
    public async ValueTask HandleAsync(Connection connection, ReactRequest request, CancellationToken cancellationToken)
    {
        if (!ConversationId.TryParse(request.Conv, out var conv))
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.BadRequest, "conv must be d:<user>:<user> (sorted) or g:<id>"));
            return;
        }
        if (conv.IsDirect && !conv.HasParticipant(connection.User.Value))
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message"));
            return;
        }
        var result = await store.ReactAsync(conv, connection.User, request.N, request.Emoji, time.GetUtcNow().ToUnixTimeMilliseconds(),
            cancellationToken);
        if (result.Status != ChangeStatus.Ok)
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message"));
            return;
        }
        connection.Reply(ServerFrameWriter.Ok(request.Rid));
        publisher.Publish(result.Writes);
    }
}

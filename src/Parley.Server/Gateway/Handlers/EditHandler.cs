using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>edit</c> (v1.1): the sender replaces a message's body within <c>Parley:Messages:EditWindow</c>. The body follows the
/// rules of <c>send</c> (opaque, byte for byte, <c>too_large</c> past maxBodyBytes); a message the caller cannot see is
/// <c>not_found</c>, one of someone else or past the window <c>forbidden</c>.
/// </summary>
internal sealed class EditHandler(IMessageEditStore store, InboxPublisher publisher, IOptions<LimitsOptions> limits, IOptions<MessagesOptions> messages,
    TimeProvider time)
{
    public async ValueTask HandleAsync(Connection connection, EditRequest request, CancellationToken cancellationToken)
    {
        if (request.Body.Length > limits.Value.MaxBodyBytes)
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.TooLarge, $"body is over {limits.Value.MaxBodyBytes} bytes"));
            return;
        }
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
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var result = await store.EditAsync(conv, connection.User, request.N, request.Body.ToArray(), now, messages.Value.EditWindow, cancellationToken);
        switch (result.Status)
        {
            case ChangeStatus.Ok:
                connection.Reply(ServerFrameWriter.EditOk(request.Rid, now));
                publisher.Publish(result.Writes);
                break;
            case ChangeStatus.Forbidden:
                connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.Forbidden, "only the sender edits a message, within the edit window"));
                break;
            default:
                connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message"));
                break;
        }
    }
}

using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>history</c>: the newest messages before a position, ascending.</summary>
internal sealed class HistoryHandler(IMessageStore store)
{
    public const int DefaultLimit = 50;

    public async ValueTask HandleAsync(Connection connection, HistoryRequest request, CancellationToken cancellationToken)
    {
        if (!ConversationAccess.TryResolve(connection, request.Rid, request.Conv, out var conv)) return;
        var messages = await store.GetHistoryAsync(conv.Value, request.Before, (int)(request.Limit ?? DefaultLimit), cancellationToken);
        connection.Reply(ServerFrameWriter.History(request.Rid, messages.Select(InboxFrames.View).ToList()));
    }
}

using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>history</c>: the newest messages before a position, ascending.</summary>
internal sealed class HistoryHandler(IMessageStore store, ConversationAccess access)
{
    public const int DefaultLimit = 50;

    public async ValueTask HandleAsync(Connection connection, HistoryRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        // A group member sees the messages sent while a member: those after the n at which they joined.
        var messages = await store.GetHistoryAsync(conv.Conv, conv.VisibleAfterN, request.Before, (int)(request.Limit ?? DefaultLimit), cancellationToken);
        connection.Reply(ServerFrameWriter.History(request.Rid, messages.Select(InboxFrames.View).ToList()));
    }
}

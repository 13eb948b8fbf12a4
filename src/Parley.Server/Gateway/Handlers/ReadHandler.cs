using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>read</c>: moves the caller's read marker forward; the senders get read receipts.</summary>
internal sealed class ReadHandler(IMessageStore store, InboxPublisher publisher, ConversationAccess access)
{
    public async ValueTask HandleAsync(Connection connection, ReadRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        publisher.Publish(await store.MarkReadAsync(connection.User, conv.Conv, request.UpTo, cancellationToken));
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }
}

using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>read</c>: moves the caller's read marker forward; the senders get read receipts.</summary>
internal sealed class ReadHandler(IMessageStore store, InboxPublisher publisher)
{
    public async ValueTask HandleAsync(Connection connection, ReadRequest request, CancellationToken cancellationToken)
    {
        if (!ConversationAccess.TryResolve(connection, request.Rid, request.Conv, out var conv)) return;
        var writes = await store.MarkReadAsync(connection.User, conv.Value, request.UpTo, cancellationToken);
        publisher.Publish(writes);
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }
}

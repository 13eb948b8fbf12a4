using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>convs</c>: the caller's conversations, most recently active first.</summary>
internal sealed class ConvsHandler(IMessageStore store)
{
    public async ValueTask HandleAsync(Connection connection, ConvsRequest request, CancellationToken cancellationToken)
    {
        var conversations = await store.GetConversationsAsync(connection.User, request.IncludeLeft, cancellationToken);
        var views = conversations
            .Select(c => new ConversationView(c.Conv, c.IsGroup ? "group" : "direct", c.Name, c.LastN, c.ReadUpTo, c.Unread, c.RetentionSeconds, c.Members,
                c.PeerDelivered, c.PeerRead, c.Left, c.Description))
            .ToList();
        connection.Reply(ServerFrameWriter.Convs(request.Rid, views));
    }
}

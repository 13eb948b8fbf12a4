using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>typing</c>: relayed to the conversation's other members who are online; never stored.</summary>
internal sealed class TypingHandler(ConversationAccess access, IGroupStore groups, IMessageStore messages, IBlockStore blocks)
{
    public async ValueTask HandleAsync(Connection connection, TypingRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        var typing = connection.Typing;
        if (!request.Composing) typing.Pause(conv.Conv.Value);
        else if (!typing.TryExtend(conv.Conv.Value)) typing.Start(conv.Conv.Value, await RecipientsAsync(connection.User, conv.Conv, cancellationToken));
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }

    private async ValueTask<IReadOnlyList<string>> RecipientsAsync(Username user, ConversationId conv, CancellationToken cancellationToken)
    {
        if (conv.IsDirect)
        {
            // Only a conversation that holds a message: typing is not a way to reach someone one has never written to.
            var other = conv.OtherThan(user.Value);
            if (other == user.Value || !await messages.HasMessagesAsync(conv, cancellationToken)) return [];
            // Typing from a user the other blocks does not reach them (v1.1).
            return await blocks.IsBlockedAsync(new Username(other), user, cancellationToken) ? [] : [other];
        }
        var (status, group) = await groups.GetGroupAsync(conv, user, cancellationToken);
        return status == GroupStatus.Ok ? group!.Members.Where(m => m != user.Value).ToArray() : [];
    }
}

using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>typing</c>: relayed to the conversation's other members who are online; never stored.</summary>
internal sealed class TypingHandler(ConversationAccess access, IGroupStore groups)
{
    public async ValueTask HandleAsync(Connection connection, TypingRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        var typing = connection.Typing;
        if (!request.Composing) typing.Pause(conv.Conv);
        else if (!typing.TryExtend(conv.Conv)) typing.Start(conv.Conv, await RecipientsAsync(connection.User, conv, cancellationToken));
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }

    private async ValueTask<IReadOnlyList<string>> RecipientsAsync(string user, ConversationAccessGrant conv, CancellationToken cancellationToken)
    {
        if (conv.Direct is { } direct) return direct.OtherThan(user) == user ? [] : [direct.OtherThan(user)];
        var (status, group) = await groups.GetGroupAsync(conv.Conv, user, cancellationToken);
        return status == GroupStatus.Ok ? group!.Members.Where(m => m != user).ToArray() : [];
    }
}

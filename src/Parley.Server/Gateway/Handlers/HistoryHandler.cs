using Parley.Core.Storage;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>history</c>: the newest messages before a position, ascending.</summary>
internal sealed class HistoryHandler(IMessageStore store, ConversationAccess access)
{
    public const int DefaultLimit = 50;

    // Notes in one page at most (the newest); a page holds at most 200 messages, and a group seldom changes more often.
    private const int MaxNotes = 200;

    public async ValueTask HandleAsync(Connection connection, HistoryRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        // A group member sees the messages sent while a member: since joining, and during earlier memberships.
        var limit = (int)(request.Limit ?? DefaultLimit);
        var messages = await store.GetHistoryAsync(conv.Conv, connection.User, conv.VisibleAfterN, request.Before, limit, cancellationToken);
        // The page's notes are those placed within it: from its oldest message on, or from the start when it is the last page;
        // so that paging back with before = the oldest n shows each note exactly once.
        var fromN = messages.Count < limit ? 0 : messages[0].N;
        var notes = await store.GetNotesAsync(conv.Conv, connection.User, conv.VisibleAfterN, fromN, request.Before ?? long.MaxValue, MaxNotes, cancellationToken);
        connection.Reply(ServerFrameWriter.History(request.Rid, messages.Select(InboxFrames.View).ToList(), notes.Select(InboxFrames.View).ToList()));
    }
}

using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>receipts</c>: per-member delivery of one message, read from the members' markers. Works for a
/// direct conversation too (its one other member).
/// </summary>
internal sealed class ReceiptsHandler(IGroupStore groups, ConversationAccess access)
{
    public async ValueTask HandleAsync(Connection connection, ReceiptsRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        var (status, receipts) = await groups.GetReceiptsAsync(conv.Conv, request.N, connection.User, cancellationToken);
        connection.Reply(status == GroupStatus.Ok && request.N > conv.VisibleAfterN
            ? ServerFrameWriter.Receipts(request.Rid, receipts!.Delivered, receipts.Read)
            : ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message"));
    }
}

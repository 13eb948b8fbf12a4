using Parley.Core.Conversations;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway.Handlers;

/// <summary>Resolves a request's <c>conv</c> for the caller, or replies with the error that says why not.</summary>
internal static class ConversationAccess
{
    public static bool TryResolve(Connection connection, string? rid, string conv, out ConversationId id)
    {
        id = default;
        if (ConversationId.TryParse(conv, out var parsed))
        {
            if (parsed.Value.HasParticipant(connection.User))
            {
                id = parsed.Value;
                return true;
            }
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.Forbidden, "you are not a member of this conversation"));
            return false;
        }
        if (conv.StartsWith("g:", StringComparison.Ordinal))
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such group"));
            return false;
        }
        connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, "conv must be d:<user>:<user> (sorted) or g:<id>"));
        return false;
    }
}

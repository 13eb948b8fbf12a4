using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway.Handlers;

/// <summary>How group outcomes read on the wire.</summary>
internal static class GroupReplies
{
    public static byte[] Error(string? rid, GroupStatus status) => status switch
    {
        GroupStatus.GroupNotFound => ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such group"),
        GroupStatus.UserNotFound => ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such user in reach (unknown, or not a member)"),
        GroupStatus.Forbidden => ServerFrameWriter.Error(rid, ErrorCodes.Forbidden, "not allowed: only members may use a group, only admins change it"),
        GroupStatus.GroupFull => ServerFrameWriter.Error(rid, ErrorCodes.GroupFull, "the group would have more members than allowed; nobody was added"),
        GroupStatus.Conflict => ServerFrameWriter.Error(rid, ErrorCodes.Conflict, "a group keeps at least one admin"),
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static GroupView View(GroupInfo g) => new(g.Conv, g.Name, g.Description, g.Members, g.Admins, g.RetentionSeconds);

    /// <summary>The request's conv as a group id; otherwise replies <c>bad_request</c> and returns false.</summary>
    public static bool TryGroup(Connection connection, string? rid, string value, out ConversationId conv)
    {
        if (ConversationId.TryParse(value, out conv) && conv.IsGroup) return true;
        connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, "conv must be a group id (g:...)"));
        return false;
    }
}

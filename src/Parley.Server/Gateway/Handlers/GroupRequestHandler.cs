using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// The <c>group.*</c> requests. Shapes are checked here; the rules (admins only, the member cap, the last
/// admin) are checked by the store inside the transaction that applies the change.
/// </summary>
internal sealed class GroupRequestHandler(IGroupStore groups, InboxPublisher publisher, IOptions<GroupsOptions> options, TimeProvider time)
{
    private readonly int _maxMembers = options.Value.MaxMembers;
    private readonly int _maxDescriptionChars = options.Value.MaxDescriptionChars;

    public const int MaxNameLength = 100;

    public async ValueTask HandleAsync(Connection connection, ClientRequest request, CancellationToken ct)
    {
        var user = connection.User;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rid = request.Rid;
        switch (request)
        {
            case GroupCreateRequest r:
                if (!ValidName(connection, rid, r.Name, out var name) || !ValidMembers(connection, rid, r.Members)) return;
                Reply(connection, rid, await groups.CreateGroupAsync(ConversationId.NewGroup(), user, name, r.Members, _maxMembers, now, ct),
                    GroupFields.Conv | GroupFields.Members | GroupFields.Admins);
                break;
            case GroupAddRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out var conv) || !ValidMembers(connection, rid, r.Members)) return;
                Reply(connection, rid, await groups.AddMembersAsync(conv, user, r.Members, _maxMembers, now, ct), GroupFields.Members);
                break;
            case GroupRemoveRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv)) return;
                Reply(connection, rid, await groups.RemoveMemberAsync(conv, user, new Username(r.Member), now, ct), GroupFields.Members);
                break;
            case GroupLeaveRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv)) return;
                Reply(connection, rid, await groups.LeaveAsync(conv, user, now, ct), GroupFields.None);
                break;
            case GroupRenameRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv) || !ValidName(connection, rid, r.Name, out var newName)) return;
                Reply(connection, rid, await groups.RenameAsync(conv, user, newName, now, ct), GroupFields.None);
                break;
            case GroupDescribeRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv) || !ValidDescription(connection, rid, r.Description, out var description)) return;
                Reply(connection, rid, await groups.DescribeAsync(conv, user, description, now, ct), GroupFields.None);
                break;
            case GroupAdminRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv)) return;
                Reply(connection, rid, await groups.SetAdminAsync(conv, user, new Username(r.Member), r.Admin, now, ct), GroupFields.Admins);
                break;
            case GroupInfoRequest r:
                if (!GroupReplies.TryGroup(connection, rid, r.Conv, out conv)) return;
                var (status, info) = await groups.GetGroupAsync(conv, user, ct);
                connection.Reply(status == GroupStatus.Ok
                    ? ServerFrameWriter.GroupOk(rid, GroupReplies.View(info!), GroupFields.Name | GroupFields.Description | GroupFields.Members | GroupFields.Admins | GroupFields.Retention)
                    : GroupReplies.Error(rid, status));
                break;
            default:
                throw new ArgumentException($"not a group request: {request.Type}", nameof(request));
        }
    }

    private void Reply(Connection connection, string? rid, GroupResult result, GroupFields fields)
    {
        if (result.Status != GroupStatus.Ok)
        {
            connection.Reply(GroupReplies.Error(rid, result.Status));
            return;
        }
        connection.Reply(ServerFrameWriter.GroupOk(rid, GroupReplies.View(result.Group!), fields));
        publisher.Publish(result.Writes);
    }

    private static bool ValidName(Connection connection, string? rid, string raw, out string name)
    {
        name = raw.Trim();
        if (name.Length is > 0 and <= MaxNameLength) return true;
        connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, $"name must be 1 to {MaxNameLength} characters"));
        return false;
    }

    /// <summary>A description is trimmed like a name; empty clears it.</summary>
    private bool ValidDescription(Connection connection, string? rid, string raw, out string description)
    {
        description = raw.Trim();
        if (description.Length <= _maxDescriptionChars) return true;
        connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest,
            $"description must be at most {_maxDescriptionChars} characters (it has {description.Length}); nothing was changed"));
        return false;
    }

    private static bool ValidMembers(Connection connection, string? rid, IReadOnlyList<string> members)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (!seen.Add(member))
            {
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, $"'{member}' is listed twice"));
                return false;
            }
            if (!Username.IsValid(member))
            {
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, $"no such user '{member}'; nobody was added"));
                return false;
            }
        }
        return true;
    }
}

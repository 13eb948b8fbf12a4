using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Groups;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>group.invite</c>, <c>group.revokeInvite</c> and <c>group.join</c> (v1.1). A code is <see cref="CodeLength"/> characters
/// of the URL-safe base64 alphabet from a CSPRNG (144 bits): made here, stored only when the group has no live code.
/// </summary>
internal sealed class GroupInviteHandler(IGroupInviteStore store, InboxPublisher publisher, IOptions<GroupsOptions> options, TimeProvider time)
{
    /// <summary>The length of a new code (at least 16, as the protocol asks).</summary>
    public const int CodeLength = 24;

    private const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public async ValueTask HandleAsync(Connection connection, ClientRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (request)
        {
            case GroupInviteRequest r:
                if (!GroupReplies.TryGroup(connection, r.Rid, r.Conv, out var conv)) return;
                var (status, code) = await store.CreateInviteAsync(conv, connection.User, NewCode(), now, cancellationToken);
                connection.Reply(status == GroupStatus.Ok ? ServerFrameWriter.InviteOk(r.Rid, code!) : GroupReplies.Error(r.Rid, status));
                return;
            case GroupRevokeInviteRequest r:
                if (!GroupReplies.TryGroup(connection, r.Rid, r.Conv, out conv)) return;
                var revoked = await store.RevokeInviteAsync(conv, connection.User, cancellationToken);
                connection.Reply(revoked == GroupStatus.Ok ? ServerFrameWriter.Ok(r.Rid) : GroupReplies.Error(r.Rid, revoked));
                return;
            case GroupJoinRequest r:
                var result = await store.JoinByInviteAsync(r.Code, connection.User, options.Value.MaxMembers, now, cancellationToken);
                if (result.Status == GroupStatus.GroupNotFound)
                {
                    connection.Reply(ServerFrameWriter.Error(r.Rid, ErrorCodes.NotFound, "no such invite code (unknown or revoked)"));
                    return;
                }
                if (result.Status != GroupStatus.Ok)
                {
                    connection.Reply(GroupReplies.Error(r.Rid, result.Status));
                    return;
                }
                connection.Reply(ServerFrameWriter.GroupOk(r.Rid, GroupReplies.View(result.Group!), GroupFields.Conv | GroupFields.Members | GroupFields.Admins));
                publisher.Publish(result.Writes);
                return;
            default:
                throw new ArgumentException($"not an invite request: {request.Type}", nameof(request));
        }
    }

    /// <summary>A new unguessable code.</summary>
    public static string NewCode() => RandomNumberGenerator.GetString(UrlSafe, CodeLength);
}

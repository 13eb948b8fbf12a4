using Parley.Core.Load;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Gateway.Handlers;
using Parley.Server.Gateway.Presence;
using Parley.Server.Load;

namespace Parley.Server.Gateway;

/// <summary>
/// Maps each request to its handler, and is the one place where a handler's exception becomes an
/// <c>internal</c> error frame: clients never see exception text.
/// </summary>
internal sealed class RequestDispatcher(
    SendHandler send,
    ReadHandler read,
    HistoryHandler history,
    ConvsHandler convs,
    ReceiptsHandler receipts,
    GroupRequestHandler groups,
    RetentionHandler retention,
    PrivacyHandler privacy,
    TypingHandler typing,
    PresenceSubscribeHandler presenceSubscribe,
    ReactHandler react,
    EditHandler edit,
    BlockHandler blocks,
    GroupInviteHandler invites,
    RequestFailures failures,
    RateLimits.UserRateLimits limits,
    LoadGovernor load,
    Observability.ParleyMetrics metrics,
    TimeProvider time)
{
    /// <summary>Carries out one request. True when the handler took over the connection's in-flight slot.</summary>
    public async ValueTask<bool> DispatchAsync(Connection connection, ClientRequest request, CancellationToken cancellationToken)
    {
        // Last seen moves with what the user does, whatever the outcome; RequestActivity is the one table that says what that is.
        if (RequestActivity.IsUserAction(request)) connection.Presence.OnUserAction();
        if (!limits.TryAdmit(connection.User.Value, request, out var retryAfter))
        {
            // Refused before the handler runs: a refused send stores nothing.
            metrics.RateLimited(request is SendRequest ? "send" : "request");
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.RateLimited, "too many requests; retry later",
                (long)Math.Ceiling(retryAfter.TotalMilliseconds)));
            return false;
        }
        if (load.Current >= LoadLevel.Overloaded && NonEssentialRequests.Contains(request))
        {
            load.CountShed(request.Type);
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.Overloaded, "the server is overloaded; retry later",
                (long)load.RetryAfter.TotalMilliseconds));
            return false;
        }
        try
        {
            switch (request)
            {
                case SendRequest r:
                    return await send.HandleAsync(connection, r, cancellationToken);
                case AckRequest r:
                    connection.OnAck(r.Seq);
                    if (r.Rid is not null) connection.Reply(ServerFrameWriter.Ok(r.Rid));
                    break;
                case ReadRequest r:
                    await read.HandleAsync(connection, r, cancellationToken);
                    break;
                case HistoryRequest r:
                    await history.HandleAsync(connection, r, cancellationToken);
                    break;
                case ConvsRequest r:
                    await convs.HandleAsync(connection, r, cancellationToken);
                    break;
                case ReceiptsRequest r:
                    await receipts.HandleAsync(connection, r, cancellationToken);
                    break;
                case GroupCreateRequest or GroupAddRequest or GroupRemoveRequest or GroupLeaveRequest or GroupRenameRequest
                    or GroupDescribeRequest or GroupAdminRequest or GroupInfoRequest:
                    await groups.HandleAsync(connection, request, cancellationToken);
                    break;
                case RetentionRequest r:
                    await retention.HandleAsync(connection, r, cancellationToken);
                    break;
                case DeleteRequest r:
                    await retention.HandleAsync(connection, r, cancellationToken);
                    break;
                case PresenceSubscribeRequest r:
                    await presenceSubscribe.HandleAsync(connection, r, cancellationToken);
                    break;
                case PresenceSetRequest r:
                    await PresenceSetHandler.HandleAsync(connection, r, cancellationToken);
                    break;
                case PrivacyRequest r:
                    await privacy.HandleAsync(connection, r, cancellationToken);
                    break;
                case TypingRequest r:
                    await typing.HandleAsync(connection, r, cancellationToken);
                    break;
                case EditRequest r:
                    await edit.HandleAsync(connection, r, cancellationToken);
                    break;
                case ReactRequest r:
                    await react.HandleAsync(connection, r, cancellationToken);
                    break;
                case BlockRequest or UnblockRequest or BlockedRequest:
                    await blocks.HandleAsync(connection, request, cancellationToken);
                    break;
                case GroupInviteRequest or GroupRevokeInviteRequest or GroupJoinRequest:
                    await invites.HandleAsync(connection, request, cancellationToken);
                    break;
                case PingRequest r:
                    connection.Reply(ServerFrameWriter.Pong(r.Rid, time.GetUtcNow().ToUnixTimeMilliseconds()));
                    break;
                case HelloRequest r:
                    connection.Reply(ServerFrameWriter.Error(r.Rid, ErrorCodes.BadRequest, "hello was already said on this connection"));
                    break;
                default:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.BadRequest, $"'{request.Type}' is not supported by this server yet"));
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            failures.Reply(connection, request.Rid, request.Type, ex);
        }
        return false;
    }
}

using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Media;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;
using Parley.Server.Observability;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>send</c>: checks the request, queues the message for the next group commit, and returns; the ok
/// (the single tick) and the pushes follow the commit. The reader waits only for the queueing, which keeps a
/// socket's messages in order and makes a full store queue slow the reader down.
/// </summary>
internal sealed class SendHandler(IMessageStore store, InboxPublisher publisher, RequestFailures failures, ConversationAccess access,
    Presence.ContactRecorder contacts, IOptions<LimitsOptions> limitsOptions, IOptions<Retention.RetentionOptions> retention, ParleyMetrics metrics, TimeProvider time)
{
    private readonly LimitsOptions _limits = limitsOptions.Value;
    private readonly long _maxTtl = retention.Value.MaxTtlSeconds;

    /// <summary>True when the message was queued: the in-flight slot is then released once its reply is queued.</summary>
    public async ValueTask<bool> HandleAsync(Connection connection, SendRequest request, CancellationToken cancellationToken)
    {
        var rid = request.Rid;
        if (request.Body.Length > _limits.MaxBodyBytes)
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.TooLarge, $"body is over {_limits.MaxBodyBytes} bytes"));
            return false;
        }
        if (request.Ttl > _maxTtl)
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, $"ttl must be at most {_maxTtl} seconds (null is permanent)"));
            return false;
        }
        if (request.MediaId is { } mediaId)
        {
            // Whether the sender may use the media (uploaded it, or sees it in a conversation) is checked where the
            // message is stored, in its transaction, so a sweep cannot remove the media between check and use.
            if (request.Kind == MessageKinds.Text)
            {
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, "a message with media has kind image, video or file"));
                return false;
            }
            if (!MediaIds.IsValid(mediaId))
            {
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such media"));
                return false;
            }
        }
        string conv;
        IReadOnlyList<string>? participants;
        if (request.To is { } to)
        {
            if (!Username.IsValid(to))
            {
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such user"));
                return false;
            }
            var direct = ConversationId.Direct(connection.User.Value, to);
            (conv, participants) = (direct.Value, direct.Participants());
        }
        else if (ConversationId.IsGroupId(request.Conv))
        {
            // Membership is checked where the message is stored, in the same transaction as the fan-out.
            (conv, participants) = (request.Conv!, null);
        }
        else if (await access.ResolveAsync(connection, rid, request.Conv!, cancellationToken) is { Conv.IsDirect: true } grant)
        {
            (conv, participants) = (grant.Conv.Value, grant.Conv.Participants());
        }
        else
        {
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var message = new NewMessage(Guid.CreateVersion7().ToString("N"), conv, connection.User.Value, participants, request.Cid,
            request.Kind, request.Body.ToArray(), now, request.Ttl, request.MediaId, request.ReplyTo);

        var committed = await store.EnqueueAppendAsync(message, cancellationToken);
        _ = CompleteAsync(connection, request, participants, committed);
        return true;
    }

    private async Task CompleteAsync(Connection connection, SendRequest request, IReadOnlyList<string>? participants, Task<AppendResult> committed)
    {
        try
        {
            var result = await committed;
            switch (result.Status)
            {
                case AppendStatus.ParticipantNotFound:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such user"));
                    break;
                case AppendStatus.ConversationNotFound:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such group"));
                    break;
                case AppendStatus.MediaNotFound:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such media"));
                    break;
                case AppendStatus.ReplyTargetNotFound:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message to reply to"));
                    break;
                case AppendStatus.NotMember:
                    connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.Forbidden, "you are not a member of this group"));
                    break;
                default:
                    if (result.Status != AppendStatus.Duplicate) metrics.MessageAccepted();
                    var m = result.Message!;
                    // Writing to someone directly makes them a contact (last-seen privacy), before the ok: a client that
                    // sees its tick can count on it.
                    if (participants is not null)
                    {
                        foreach (var other in participants) await contacts.RecordAsync(m.Sender, other, CancellationToken.None);
                    }
                    connection.Reply(ServerFrameWriter.SendOk(request.Rid,
                        new SendResultView(m.Id, m.N, m.Conv, m.SenderSeq, m.Ts, m.ExpiresAt, result.Status == AppendStatus.Duplicate, m.ReplyTo)));
                    publisher.Publish(result.Writes);
                    break;
            }
        }
        catch (Exception ex)
        {
            failures.Reply(connection, request.Rid, request.Type, ex);
        }
        finally
        {
            connection.InFlight.Release();
        }
    }
}

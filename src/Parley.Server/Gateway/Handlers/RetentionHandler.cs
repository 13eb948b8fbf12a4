using Microsoft.Extensions.Options;
using Parley.Core.Messages;
using Parley.Core.Storage;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>retention</c> (either participant of a direct conversation; admins in a group) and <c>delete</c>
/// (the sender, or a group admin).
/// </summary>
internal sealed class RetentionHandler(IMessageStore store, InboxPublisher publisher, ConversationAccess access,
    IOptions<Retention.RetentionOptions> options, TimeProvider time)
{
    private readonly long _maxTtl = options.Value.MaxTtlSeconds;

    public async ValueTask HandleAsync(Connection connection, RetentionRequest request, CancellationToken cancellationToken)
    {
        if (request.Ttl > _maxTtl)
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.BadRequest, $"ttl must be at most {_maxTtl} seconds (null is permanent)"));
            return;
        }
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        var participants = conv.Conv.IsDirect ? conv.Conv.Participants() : null;
        var result = await store.SetRetentionAsync(conv.Conv, connection.User, participants, request.Ttl, Now, cancellationToken);
        if (Reply(connection, request.Rid, result, "only admins change a group's retention")) connection.Reply(ServerFrameWriter.RetentionOk(request.Rid, request.Ttl));
    }

    public async ValueTask HandleAsync(Connection connection, DeleteRequest request, CancellationToken cancellationToken)
    {
        if (await access.ResolveAsync(connection, request.Rid, request.Conv, cancellationToken) is not { } conv) return;
        if (request.N <= conv.VisibleAfterN)
        {
            connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.NotFound, "no such message"));
            return;
        }
        var result = await store.DeleteMessageAsync(conv.Conv, connection.User, request.N, Now, cancellationToken);
        if (Reply(connection, request.Rid, result, "only the sender or a group admin deletes a message")) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Publishes what a successful change wrote, or replies with its error; true on success.</summary>
    private bool Reply(Connection connection, string? rid, ChangeResult result, string forbidden)
    {
        switch (result.Status)
        {
            case ChangeStatus.Ok:
                publisher.Publish(result.Writes);
                return true;
            case ChangeStatus.Forbidden:
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.Forbidden, forbidden));
                return false;
            default:
                connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, "no such conversation or message"));
                return false;
        }
    }
}

using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>presence.set</c>: this connection counts toward online (active) or not (away).</summary>
internal static class PresenceSetHandler
{
    public static async ValueTask HandleAsync(Connection connection, PresenceSetRequest request, CancellationToken cancellationToken)
    {
        connection.Presence.SetAway(request.Away);
        // The grain has the new state before the reply: a client that sees its ok also sees itself offline or online.
        await connection.AttachAsync(cancellationToken);
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }
}

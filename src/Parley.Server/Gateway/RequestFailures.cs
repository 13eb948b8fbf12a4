using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway;

/// <summary>The one way a failure inside the server reaches a client: logged, and answered with <c>internal</c>.</summary>
internal sealed partial class RequestFailures(ILogger<RequestFailures> logger)
{
    public void Reply(Connection connection, string? rid, string type, Exception exception)
    {
        LogRequestFailed(logger, type, connection.Id, connection.User.Value, connection.DeviceId, exception);
        connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.Internal, "the server could not carry out the request"));
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "A {Type} request failed (connection {ConnectionId} of {User} on {Device})")]
    private static partial void LogRequestFailed(ILogger logger, string type, string connectionId, string user, string device, Exception exception);
}

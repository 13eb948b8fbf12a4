using Microsoft.Extensions.Options;
using Parley.Core.Users;
using Parley.Grains.Presence;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>presence.subscribe</c>: follow users for the rest of the connection; the reply is a fresh snapshot.</summary>
internal sealed class PresenceSubscribeHandler(IOptions<PresenceOptions> options)
{
    public async ValueTask HandleAsync(Connection connection, PresenceSubscribeRequest request, CancellationToken cancellationToken)
    {
        var users = new List<string>(request.Users.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var user in request.Users)
        {
            if (!Username.IsValid(user))
            {
                connection.Reply(ServerFrameWriter.Error(request.Rid, ErrorCodes.BadRequest, $"'{Truncate(user)}' is not a valid username"));
                return;
            }
            if (seen.Add(user)) users.Add(user);
        }
        var views = await connection.Subscriptions.SubscribeAsync(users, cancellationToken);
        connection.Reply(views is null
            ? ServerFrameWriter.Error(request.Rid, ErrorCodes.BadRequest, $"a connection follows at most {options.Value.MaxSubscriptions} users")
            : ServerFrameWriter.PresenceOk(request.Rid, views));
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}

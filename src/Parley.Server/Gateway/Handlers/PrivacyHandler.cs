using Parley.Core.Presence;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary><c>privacy</c>: stored, then applied at once to everyone following the user and to the user's own view.</summary>
internal sealed class PrivacyHandler(IGrainFactory grains)
{
    public async ValueTask HandleAsync(Connection connection, PrivacyRequest request, CancellationToken cancellationToken)
    {
        var privacy = request.LastSeen switch
        {
            LastSeenVisibility.Contacts => LastSeenPrivacy.Contacts,
            LastSeenVisibility.Nobody => LastSeenPrivacy.Nobody,
            _ => LastSeenPrivacy.Everyone,
        };
        await grains.GetGrain<IUserGrain>(connection.User.Value).SetPrivacyAsync(privacy).WaitAsync(cancellationToken);
        if (request.Rid is not null) connection.Reply(ServerFrameWriter.Ok(request.Rid));
    }
}

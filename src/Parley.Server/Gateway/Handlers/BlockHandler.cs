using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;

namespace Parley.Server.Gateway.Handlers;

/// <summary>
/// <c>block</c>, <c>unblock</c> and <c>blocked</c> (v1.1). Blocking oneself is <c>bad_request</c>, an unknown user (or a
/// name that cannot be one) <c>not_found</c>; both are idempotent. After a change the caller's user grain tells everyone
/// following the caller's presence, on any node, to look again: a blocked user sees the caller offline at once.
/// </summary>
internal sealed class BlockHandler(IBlockStore store, IGrainFactory grains, TimeProvider time)
{
    public async ValueTask HandleAsync(Connection connection, ClientRequest request, CancellationToken cancellationToken)
    {
        var user = connection.User;
        switch (request)
        {
            case BlockedRequest r:
                connection.Reply(ServerFrameWriter.BlockedOk(r.Rid, await store.GetBlockedAsync(user, cancellationToken)));
                return;
            case BlockRequest r:
                await ChangeAsync(connection, r.Rid, r.User, block: true, cancellationToken);
                return;
            case UnblockRequest r:
                await ChangeAsync(connection, r.Rid, r.User, block: false, cancellationToken);
                return;
            default:
                throw new ArgumentException($"not a block request: {request.Type}", nameof(request));
        }
    }

    private async ValueTask ChangeAsync(Connection connection, string? rid, string other, bool block, CancellationToken cancellationToken)
    {
        if (other == connection.User.Value)
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.BadRequest, block ? "one cannot block oneself" : "one cannot unblock oneself"));
            return;
        }
        var found = Username.IsValid(other) && (block
            ? await store.BlockAsync(connection.User, new Username(other), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken)
            : await store.UnblockAsync(connection.User, new Username(other), cancellationToken));
        if (!found)
        {
            connection.Reply(ServerFrameWriter.Error(rid, ErrorCodes.NotFound, $"no such user '{Truncate(other)}'"));
            return;
        }
        connection.Reply(ServerFrameWriter.Ok(rid));
        await grains.GetGrain<IUserGrain>(connection.User.Value).BlocksChangedAsync();
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";
}

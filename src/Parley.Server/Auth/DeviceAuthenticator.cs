using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Auth;

/// <summary>Finds the live device session of a bearer token.</summary>
public sealed class DeviceAuthenticator(IUserStore users, TimeProvider time)
{
    public async Task<DeviceSession?> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        // Tokens are 43 characters; anything far off is not worth a lookup.
        if (string.IsNullOrEmpty(token) || token.Length > 256) return null;
        return await users.FindDeviceAsync(DeviceTokens.Hash(token), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
    }
}

using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>Accounts and device sessions.</summary>
public interface IUserStore
{
    /// <summary>Creates the account; false when the username is taken.</summary>
    Task<bool> CreateUserAsync(NewUser user, CancellationToken cancellationToken);

    Task<UserCredentials?> GetCredentialsAsync(string username, CancellationToken cancellationToken);

    Task CreateDeviceAsync(NewDevice device, CancellationToken cancellationToken);

    /// <summary>The live (not revoked, not expired at <paramref name="now"/>) session with this token hash.</summary>
    Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken);

    /// <summary>Revokes a device's token; false when it was not live.</summary>
    Task<bool> RevokeDeviceAsync(string deviceId, long now, CancellationToken cancellationToken);
}

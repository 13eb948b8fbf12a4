using Parley.Core.Users;

namespace Parley.Core.Storage;

/// <summary>Accounts and device sessions.</summary>
public interface IUserStore
{
    /// <summary>Creates the account; false when the username is taken.</summary>
    Task<bool> CreateUserAsync(NewUser user, CancellationToken cancellationToken);

    /// <summary>The credentials of a live account (null for an unknown or deleted one).</summary>
    Task<UserCredentials?> GetCredentialsAsync(Username username, CancellationToken cancellationToken);

    Task CreateDeviceAsync(NewDevice device, CancellationToken cancellationToken);

    /// <summary>
    /// Creates the device after revoking the user's oldest live devices, so that with it at most
    /// <paramref name="maxDevices"/> are live; returns the revoked devices (their sockets are to be closed).
    /// </summary>
    Task<IReadOnlyList<string>> CreateDeviceWithinCapAsync(NewDevice device, int maxDevices, CancellationToken cancellationToken);

    /// <summary>Replaces the user's password hash with <paramref name="newHash"/> if it is still <paramref name="verifiedHash"/>.</summary>
    Task<bool> RehashPasswordAsync(Username username, string verifiedHash, string newHash, CancellationToken cancellationToken);

    /// <summary>The live (not revoked, not expired at <paramref name="now"/>) session with this token hash.</summary>
    Task<DeviceSession?> FindDeviceAsync(byte[] tokenHash, long now, CancellationToken cancellationToken);

    /// <summary>Revokes a device's token; false when it was not live.</summary>
    Task<bool> RevokeDeviceAsync(string deviceId, long now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the account: every device revoked, every group left (with the events and admin promotion a
    /// <c>group.leave</c> has), the user's inbox dropped and a <c>failed</c> (<c>gone</c>) event written for each message
    /// still pending for the user. The username stays taken. Null when there is no such live account.
    /// </summary>
    Task<AccountDeletion?> DeleteAccountAsync(Username username, long now, CancellationToken cancellationToken);
}

using System.Data.Common;
using Parley.Core.Users;
using static Parley.Storage.Relational.ReadCommands;

namespace Parley.Storage.Relational;

/// <summary>The account and device reads, run on a read connection.</summary>
internal static class UserQueries
{
    public static Task<UserCredentials?> CredentialsAsync(DbConnection c, string username, CancellationToken cancellationToken) =>
        FirstAsync(c, "SELECT username, display_name, password_hash FROM users WHERE username = @p0 AND deleted_at IS NULL",
            r => new UserCredentials(r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken, username);

    public static Task<DeviceSession?> FindDeviceAsync(DbConnection c, byte[] tokenHash, long now, CancellationToken cancellationToken) =>
        FirstAsync(c,
            "SELECT device_id, username, name, expires_at, acked_seq FROM devices WHERE token_hash = @p0 AND revoked_at IS NULL AND expires_at > @p1",
            r => new DeviceSession(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4)), cancellationToken, tokenHash, now);
}

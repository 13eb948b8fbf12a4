namespace Parley.Core.Users;

/// <summary>A new account.</summary>
public sealed record NewUser(string Username, string DisplayName, string PasswordHash, long CreatedAt);

/// <summary>What login needs to know of an account.</summary>
public sealed record UserCredentials(string Username, string DisplayName, string PasswordHash);

/// <summary>A device's session: created at login, found by the hash of its token.</summary>
public sealed record DeviceSession(string DeviceId, string Username, string DeviceName, long ExpiresAt, long AckedSeq);

/// <summary>A new device session.</summary>
public sealed record NewDevice(string DeviceId, string Username, string DeviceName, byte[] TokenHash, long CreatedAt, long ExpiresAt);

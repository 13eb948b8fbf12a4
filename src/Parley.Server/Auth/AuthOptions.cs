using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Auth;

/// <summary>Parley:Auth.</summary>
public sealed class AuthOptions
{
    public const string Section = "Parley:Auth";

    /// <summary>PBKDF2-SHA256 iterations for new password hashes (stored with each hash, so it can change).</summary>
    [Range(1_000, 10_000_000)]
    public int PasswordIterations { get; set; } = 100_000;

    /// <summary>How long a device token lives.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(365);
}

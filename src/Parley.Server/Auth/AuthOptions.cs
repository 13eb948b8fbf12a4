using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Auth;

/// <summary>Parley:Auth: password hashing, device tokens, and the limits on logins.</summary>
public sealed class AuthOptions
{
    public const string Section = "Parley:Auth";

    /// <summary>
    /// PBKDF2-SHA256 iterations for new password hashes (OWASP's guidance for PBKDF2-HMAC-SHA256). Each hash records its
    /// own count; a login whose stored hash has fewer is rehashed with this many.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int PasswordIterations { get; set; } = 600_000;

    /// <summary>How long a device token lives; its sockets are closed (4401) when it expires.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Live devices (tokens) per user: a login past it revokes the user's oldest device (its sockets close with 4401).</summary>
    [Range(1, 100_000)]
    public int MaxDevicesPerUser { get; set; } = 32;

    /// <summary>
    /// Failed logins in a row for one username (or, with a valid token of that user, for that device) before each further
    /// failure locks it for <see cref="LoginBackoff"/>, doubling up to <see cref="MaxLoginBackoff"/>.
    /// </summary>
    [Range(1, 1_000)]
    public int FreeLoginFailures { get; set; } = 5;

    /// <summary>The first lock after the free failures; each further failure doubles it.</summary>
    public TimeSpan LoginBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest lock; a name with no failure for this long is forgotten.</summary>
    public TimeSpan MaxLoginBackoff { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password hashes computed at once on this node (registration, login, account deletion); 0: one per processor core.</summary>
    [Range(0, 1_024)]
    public int MaxConcurrentHashes { get; set; }

    /// <summary>Requests waiting for a hash slot; more are answered 503 <c>overloaded</c>.</summary>
    [Range(0, 100_000)]
    public int HashQueueLimit { get; set; } = 64;

    /// <summary>How long a request waits for a hash slot before it is answered 503 <c>overloaded</c>.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The slots in force.</summary>
    public int EffectiveMaxConcurrentHashes => MaxConcurrentHashes > 0 ? MaxConcurrentHashes : Environment.ProcessorCount;
}

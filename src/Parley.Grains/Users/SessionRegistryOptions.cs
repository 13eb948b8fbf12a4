namespace Parley.Grains.Users;

/// <summary>Parley:Sessions: how connections stay registered with their user's grain.</summary>
public sealed class SessionRegistryOptions
{
    public const string Section = "Parley:Sessions";

    /// <summary>A connection that has not re-attached for this long is dropped from its user's grain.</summary>
    public TimeSpan ConnectionExpiry { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How often a connection re-attaches (well under the expiry).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a new connection waits to attach before it is welcomed anyway (its grain may be on a node that
    /// just died); it then delivers from the store and retries the attach every <see cref="RetryInterval"/>.
    /// </summary>
    public TimeSpan AttachTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How soon a failed attach is tried again.</summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a user's grain waits, when a connection attaches on a node new to the user, for the nodes that cached
    /// the user's route to forget it (well under <see cref="AttachTimeout"/>).
    /// </summary>
    public TimeSpan RouteChangeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node uses a user's route before it asks the grain again (a bound on a route whose change it missed).</summary>
    public TimeSpan RouteLifetime { get; set; } = TimeSpan.FromMinutes(1);
}

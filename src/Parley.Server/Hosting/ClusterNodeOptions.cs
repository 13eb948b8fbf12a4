using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Hosting;

/// <summary>
/// Parley:Cluster: how this node's Orleans silo joins its cluster (named apart from Orleans' own <c>ClusterOptions</c>,
/// which the silo is configured with too).
/// </summary>
public sealed class ClusterNodeOptions
{
    public const string Section = "Parley:Cluster";

    /// <summary>localhost (one embedded silo) or redis (many nodes, membership in Redis).</summary>
    [Required]
    public string Provider { get; set; } = "localhost";

    /// <summary>The Redis connection string, with Provider=redis (e.g. 127.0.0.1:6379).</summary>
    public string? Redis { get; set; }

    /// <summary>Nodes with the same cluster id form one cluster.</summary>
    [Required]
    public string ClusterId { get; set; } = "parley";

    /// <summary>The address other nodes reach this one at.</summary>
    [Required]
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The silo-to-silo port; 0 picks a free one (enough for one embedded node; set it in a cluster).</summary>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>The Orleans client gateway port; 0 (the default) opens none: every grain call comes from inside a silo.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>How long a node may miss a probe; with <see cref="MissedProbesLimit"/>, how fast a dead node is noticed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes before a node is suspected.</summary>
    [Range(1, 100)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>The token for /v1/admin/*; empty disables the admin endpoints. Prefer <see cref="AdminTokenFile"/> (or an environment variable) to the command line, which every local user can read.</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>A file holding the admin token (surrounding whitespace ignored), read at start; it overrides <see cref="AdminToken"/>.</summary>
    public string? AdminTokenFile { get; set; }
}

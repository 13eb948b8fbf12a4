using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Hosting;

/// <summary>Parley:Delivery: re-push of un-acked inbox events.</summary>
public sealed class DeliveryOptions
{
    public const string Section = "Parley:Delivery";

    /// <summary>How long a device has to ack before its un-acked events are pushed again (then 2x, 4x, ...).</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pushes of the same events, the first included, before the socket is closed with 4409.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>A message no device of a recipient acked within this long fails for its sender.</summary>
    public TimeSpan MaxPendingAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often messages pending past <see cref="MaxPendingAge"/> are looked for (and failed).</summary>
    public TimeSpan FailureSweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pending messages failed per transaction; a sweep runs batches until none is left.</summary>
    [Range(1, 1_000_000)]
    public int FailureSweepBatchSize { get; set; } = 1000;
}

/// <summary>Parley:Limits: the limits the protocol announces in <c>welcome</c>.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Parley:Limits";

    /// <summary>The largest text frame; larger ones close the socket with 1009.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxFrameBytes { get; set; } = 64 * 1024;

    /// <summary>The largest message body, as the UTF-8 length of its JSON text.</summary>
    [Range(16, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}

/// <summary>Parley:Groups.</summary>
public sealed class GroupsOptions
{
    public const string Section = "Parley:Groups";

    /// <summary>The most members a group has, its creator included.</summary>
    [Range(2, 100_000)]
    public int MaxMembers { get; set; } = 200;
}

/// <summary>Parley:Gateway: the WebSocket connections.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Parley:Gateway";

    /// <summary>The first frame must be a hello within this long, else 4408.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Replies, and separately inbox events, waiting to be written to one socket.</summary>
    [Range(16, 1_000_000)]
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>A socket whose event queue stays full this long is closed with 4409 (it catches up when it resumes).</summary>
    public TimeSpan SendStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests of one socket being carried out at once; the socket is not read while at the limit.</summary>
    [Range(1, 10_000)]
    public int MaxInFlightRequests { get; set; } = 256;

    /// <summary>Malformed frames in a row before the socket is closed with 1008.</summary>
    [Range(1, 1_000_000)]
    public int MaxMalformedFrames { get; set; } = 50;

    /// <summary>WebSocket ping interval from the server: a ping goes out after this long without a frame from the client.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A socket from which nothing (no frame, no answer to a ping) arrives for this long is aborted and its user
    /// goes offline, last seen when it was last heard. Longer than KeepAliveInterval.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Presence and typing frames waiting for one socket; more are dropped (the protocol lets them be shed).</summary>
    [Range(1, 100_000)]
    public int SignalQueueCapacity { get; set; } = 64;

    /// <summary>How long a closing socket may take to finish its close handshake before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Browser origins allowed to open sockets (besides the server's own); empty allows none but same-origin and non-browser clients.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

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

/// <summary>Parley:Cluster: the Orleans silo.</summary>
public sealed class ClusterOptions
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

    /// <summary>The Orleans client gateway port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int GatewayPort { get; set; }

    /// <summary>How long a node may miss a probe; with <see cref="MissedProbesLimit"/>, how fast a dead node is noticed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Missed probes before a node is suspected.</summary>
    [Range(1, 100)]
    public int MissedProbesLimit { get; set; } = 3;

    /// <summary>The token for /v1/admin/*; empty disables the admin endpoints.</summary>
    public string AdminToken { get; set; } = "";
}

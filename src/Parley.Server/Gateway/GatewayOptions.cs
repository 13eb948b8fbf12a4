using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Gateway;

/// <summary>Parley:Gateway: the WebSocket connections.</summary>
public sealed class GatewayOptions
{
    public const string Section = "Parley:Gateway";

    /// <summary>The first frame must be a hello within this long, else 4408.</summary>
    public TimeSpan HelloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Replies, and separately inbox events, waiting to be written to one socket.</summary>
    [Range(16, 1_000_000)]
    public int SendQueueCapacity { get; set; } = 4096;

    /// <summary>
    /// Bytes of frames waiting to be written to one socket, all lanes together. A reply that would pass it closes the
    /// socket with 4409; inbox events wait for room (then 4409 after SendStallTimeout); signals are dropped. A frame is
    /// always taken when nothing else waits, so one reply larger than this still reaches a client that reads.
    /// </summary>
    [Range(64 * 1024, long.MaxValue)]
    public long MaxQueuedBytes { get; set; } = 8L * 1024 * 1024;

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

    /// <summary>Sockets one device may have open on this node; a newer one closes its oldest with 4429.</summary>
    [Range(1, 10_000)]
    public int MaxSocketsPerDevice { get; set; } = 8;

    /// <summary>Sockets one user may have open on this node, all devices together; a newer one closes the oldest socket of the device with the most (4429).</summary>
    [Range(1, 100_000)]
    public int MaxSocketsPerUser { get; set; } = 32;

    /// <summary>Sockets one client address may hold open before their <c>hello</c>; more are refused with 429 before the upgrade.</summary>
    [Range(1, 1_000_000)]
    public int MaxPendingHandshakesPerAddress { get; set; } = 16;

    /// <summary>
    /// Sockets this node holds between their upgrade and their <c>welcome</c>, all clients together (admission control).
    /// Past it a further upgrade is refused at once, before the upgrade and any token check, with 503 <c>overloaded</c>
    /// and Retry-After <see cref="UpgradeRetryAfter"/>: a node that welcomes slower than sockets arrive (a reconnect storm,
    /// a starved thread pool) refuses cheaply instead of accepting sockets it cannot serve before their clients give up.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPendingHandshakes { get; set; } = 1000;

    /// <summary>The Retry-After (and <c>retryAfterMs</c>) of an upgrade refused past <see cref="MaxPendingHandshakes"/>; clients add jitter.</summary>
    public TimeSpan UpgradeRetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// From this load-governor level on, every upgrade is refused with 503 <c>overloaded</c> and Retry-After
    /// <c>Parley:Governor:RetryAfter</c>; 0 (the default) never refuses for the level, only past <see cref="MaxPendingHandshakes"/>.
    /// Off by default: a connect storm on a busy CPU puts a node at level 1 while it still keeps up, and a node whose
    /// level rose for other reasons (slow consumers' queues) would refuse every new socket for at least <c>CalmPeriod</c>.
    /// </summary>
    [Range(0, 3)]
    public int RefuseUpgradesFromLevel { get; set; }

    /// <summary>
    /// Whether a connection whose first request is the <c>/v1/ws</c> upgrade is taken at the Kestrel connection level
    /// (<see cref="ConnectionLevelGateway"/>), without Kestrel's HTTP/1.1 connection under the socket; false sends
    /// every upgrade through the HTTP endpoint, as before.
    /// </summary>
    public bool ConnectionLevelUpgrade { get; set; } = true;

    /// <summary>Browser origins allowed to open sockets (besides the server's own); empty allows none but same-origin and non-browser clients.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}

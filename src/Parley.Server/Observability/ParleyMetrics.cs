using System.Diagnostics.Metrics;
using Parley.Server.Load;

namespace Parley.Server.Observability;

/// <summary>
/// Every instrument of the server, on the meter <c>Parley</c> (the store's writer adds its own on a meter of the
/// same name: <c>Parley.Storage.Relational.StoreMetrics</c>), exported at <c>/metrics</c>. Tags are frame types and
/// kinds that are string constants already, so recording allocates nothing.
/// </summary>
internal sealed class ParleyMetrics
{
    public const string MeterName = "Parley";

    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _closes;
    private readonly Counter<long> _framesReceived;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _messagesAccepted;
    private readonly Counter<long> _messagesDelivered;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _shed;
    private readonly Counter<long> _upgradesRefused;
    private readonly UpDownCounter<long> _pendingHandshakes;
    private int _governorLevel;
    // Written by the governor's loop, read at scrapes; a torn read would only mix two consecutive samples.
    private PressureSample _sample;

    public ParleyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _connections = meter.CreateUpDownCounter<long>("parley.connections", "{connection}", "WebSocket connections open (after hello)");
        _closes = meter.CreateCounter<long>("parley.connections.closed", "{connection}", "Connections ended, by the close code the server sent (1000 answering the client's close, 1001 when the peer vanished or the server stops)");
        _framesReceived = meter.CreateCounter<long>("parley.frames.received", "{frame}", "Frames read from clients, by type (malformed and binary for the ones not understood)");
        _framesSent = meter.CreateCounter<long>("parley.frames.sent", "{frame}", "Frames written to clients, by type");
        _messagesAccepted = meter.CreateCounter<long>("parley.messages.accepted", "{message}", "Messages stored by send (duplicates of a cid not counted)");
        _messagesDelivered = meter.CreateCounter<long>("parley.messages.delivered", "{message}", "message events queued for a device's socket, first sends only (not re-pushes)");
        _deliveryLatency = meter.CreateHistogram("parley.delivery.latency", "s",
            "From a send being accepted to its message event being queued for a live device's socket (pushes to connected devices only)", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _gaps = meter.CreateCounter<long>("parley.delivery.gaps", "{gap}", "Live pushes that came past a gap in a connection's seqs, by what closed the gap: push (the events before it came within Parley:Delivery:GapWait) or store (they were read from the store)");
        _shed = meter.CreateCounter<long>("parley.shed", "{item}", "Items shed or postponed by the load governor, by kind (refused requests by their type)");
        _upgradesRefused = meter.CreateCounter<long>("parley.gateway.upgrades.refused", "{upgrade}", "Socket upgrades refused before the upgrade, by reason: pending (503, the node's cap on sockets awaiting their welcome), load (503, the governor's level), address (429, the per-address cap)");
        _pendingHandshakes = meter.CreateUpDownCounter<long>("parley.gateway.pending_handshakes", "{socket}", "Sockets admitted and not yet welcomed (upgrading, awaiting their hello, or being attached)");
        RateLimitRejections = meter.CreateCounter<long>("parley.rate_limit.rejections", "{request}", "Requests refused with rate_limited, by scope");
        meter.CreateObservableGauge("parley.governor.level", () => Volatile.Read(ref _governorLevel), "{level}", "The load governor's level, 0 to 3");
        meter.CreateObservableGauge("parley.governor.signal", ObserveSignals, description: "The pressure signals as last sampled by the load governor");
    }

    /// <summary>The level to report; set by the governor.</summary>
    public int GovernorLevel
    {
        set => Volatile.Write(ref _governorLevel, value);
    }

    /// <summary>Requests refused with <c>rate_limited</c>; tag <c>scope</c> (for example <c>send</c>, <c>request</c>, <c>login</c>).</summary>
    public Counter<long> RateLimitRejections { get; }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    /// <summary>The server closed a connection with <paramref name="code"/> (counted once per connection).</summary>
    public void ConnectionClosedWith(int code) => _closes.Add(1, new KeyValuePair<string, object?>("code", code));

    public void FrameReceived(string type) => _framesReceived.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <summary>A frame was written; its type is read from its first bytes.</summary>
    public void FrameSent(ReadOnlySpan<byte> frame) => _framesSent.Add(1, new KeyValuePair<string, object?>("type", SentFrameTypes.Of(frame)));

    /// <summary>An upgrade refused before it happened; <paramref name="reason"/> is <c>pending</c>, <c>load</c> or <c>address</c>.</summary>
    public void UpgradeRefused(string reason) => _upgradesRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>A socket was admitted (+1) or welcomed or gone (-1).</summary>
    public void PendingHandshakes(int delta) => _pendingHandshakes.Add(delta);

    public void MessageAccepted() => _messagesAccepted.Add(1);

    public void MessageDelivered() => _messagesDelivered.Add(1);

    public void DeliveryLatency(TimeSpan latency) => _deliveryLatency.Record(latency.TotalSeconds);

    public void GapClosed(bool byPush) => _gaps.Add(1, new KeyValuePair<string, object?>("closed_by", byPush ? "push" : "store"));

    public void Shed(string kind) => _shed.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RateLimited(string scope) => RateLimitRejections.Add(1, new KeyValuePair<string, object?>("scope", scope));

    public void GovernorSampled(PressureSample sample) => _sample = sample;

    private IEnumerable<Measurement<double>> ObserveSignals()
    {
        // Called at each scrape only.
        var s = _sample;
        return
        [
            new(s.OutboundBacklog, new KeyValuePair<string, object?>("signal", "outbound_backlog")),
            new(s.OutboundBytes, new KeyValuePair<string, object?>("signal", "outbound_bytes")),
            new(s.StoreQueue, new KeyValuePair<string, object?>("signal", "store_queue")),
            new(s.StoreLagMs, new KeyValuePair<string, object?>("signal", "store_lag_ms")),
            new(s.ThreadPoolQueue, new KeyValuePair<string, object?>("signal", "thread_pool_queue")),
            new(s.CpuPercent, new KeyValuePair<string, object?>("signal", "cpu_percent")),
        ];
    }
}

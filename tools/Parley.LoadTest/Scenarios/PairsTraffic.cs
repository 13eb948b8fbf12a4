using System.Diagnostics;
using Parley.Client;
using Parley.LoadTest.Accounts;
using Parley.LoadTest.Measurement;
using Parley.LoadTest.Reports;
using Parley.Protocol.Client;

namespace Parley.LoadTest.Scenarios;

/// <summary>
/// Users in pairs, each sending to its partner with at most <c>window</c> sends unanswered, for a duration or a count;
/// then a drain, then the proof: every message that got its ok was delivered to the partner exactly once.
/// </summary>
public sealed class PairsTraffic
{
    private readonly PairsSettings _settings;
    private readonly int _window;
    private readonly TrafficCounters _counters = new();
    private readonly LatencyHistogram _ok = new();
    private readonly LatencyHistogram _delivery = new();
    private readonly LatencyHistogram _deliveredReceipt = new();
    private readonly LatencyHistogram _readReceipt = new();
    private readonly List<PairPeer> _peers = [];
    private long _measureFrom = long.MaxValue;
    private volatile bool _measuring;

    public PairsTraffic(PairsSettings settings, int window)
    {
        _settings = settings;
        _window = window;
    }

    public TrafficCounters Counters => _counters;
    public IReadOnlyList<PairPeer> Peers => _peers;

    /// <summary>Creates a client per user (not yet connected) through <paramref name="webSocketServer"/>.</summary>
    public void Create(IReadOnlyList<LoadUser> users, Uri webSocketServer)
    {
        for (var i = 0; i < users.Count; i++)
        {
            var partner = users[i ^ 1];
            var client = Clients.Create(webSocketServer, users[i].Token);
            var delivered = new ReceiptWaiter(_deliveredReceipt);
            var peer = new PairPeer(users[i], partner, client, delivered, _settings.Read ? new ReceiptWaiter(_readReceipt) : null);
            client.MessageReceived += (m, ct) => OnMessage(peer, m, ct);
            client.ReceiptReceived += (r, _) => OnReceipt(peer, r);
            client.HandlerFailed += (f, _) =>
            {
                _counters.CountError("handler: " + f.Exception.GetType().Name);
                return ValueTask.CompletedTask;
            };
            _peers.Add(peer);
        }
    }

    public Task ConnectAsync(Action<int>? progress, CancellationToken cancellationToken) =>
        Clients.ConnectAllAsync([.. _peers.Select(p => p.Client)], _settings.ConnectConcurrency, progress, cancellationToken);

    /// <summary>Sends until the duration or count is reached; <paramref name="onMeasureStart"/> runs when the warmup ends.</summary>
    public async Task SendAsync(Action onMeasureStart, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_settings.DurationSeconds > 0) stop.CancelAfter(TimeSpan.FromSeconds(_settings.DurationSeconds));
        var warmup = Task.Delay(TimeSpan.FromSeconds(_settings.WarmupSeconds), stop.Token).ContinueWith(
            t =>
            {
                if (t.IsCanceled) return;
                Volatile.Write(ref _measureFrom, Stopwatch.GetTimestamp());
                _measuring = true;
                onMeasureStart();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        if (_settings.WarmupSeconds <= 0)
        {
            Volatile.Write(ref _measureFrom, Stopwatch.GetTimestamp());
            _measuring = true;
            onMeasureStart();
        }
        await Task.WhenAll(_peers.Select((p, i) => SendLoopAsync(p, i, stop.Token, cancellationToken)));
        _measuring = false;
        await warmup.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SendLoopAsync(PairPeer peer, int index, CancellationToken stop, CancellationToken run)
    {
        using var window = new SemaphoreSlim(_window);
        for (long k = 0; _settings.MessagesPerSender <= 0 || k < _settings.MessagesPerSender; k++)
        {
            try
            {
                await window.WaitAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _ = SendOneAsync(peer, index, k, window, run);
        }
        // Wait for the sends in flight: each gives its permit back when answered (or failed).
        for (var i = 0; i < _window; i++) await window.WaitAsync(run);
    }

    private async Task SendOneAsync(PairPeer peer, int index, long k, SemaphoreSlim window, CancellationToken run)
    {
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            _counters.CountSent();
            var result = await peer.Client.SendTextAsync(peer.Partner.Name, MessageText.Create(k, index, sentAt, _settings.Size), run);
            if (sentAt >= Volatile.Read(ref _measureFrom)) _ok.RecordSince(sentAt);
            _counters.CountOk(result.Duplicate);
            peer.Stored(k, result.N, sentAt >= Volatile.Read(ref _measureFrom) ? sentAt : long.MinValue);
        }
        catch (ParleyException e)
        {
            _counters.CountError(e.Code);
        }
        catch (Exception e) when (e is not OperationCanceledException || !run.IsCancellationRequested)
        {
            _counters.CountError(e.GetType().Name);
        }
        finally
        {
            window.Release();
        }
    }

    private ValueTask OnMessage(PairPeer peer, MessageEvent m, CancellationToken cancellationToken)
    {
        if (m.From != peer.Partner.Name) return ValueTask.CompletedTask; // its own sends, synced back
        if (!BodyJson.TryGetText(m.Body, out var text) || !MessageText.TryParse(text, out var k, out _, out var sentAt))
        {
            _counters.CountForeign();
            return ValueTask.CompletedTask;
        }
        if (!peer.Received(k))
        {
            _counters.CountDuplicate();
            return ValueTask.CompletedTask;
        }
        var measured = sentAt >= Volatile.Read(ref _measureFrom);
        if (measured) _delivery.RecordSince(sentAt);
        _counters.CountDelivered(_measuring);
        if (!_settings.Read) return ValueTask.CompletedTask;
        return MarkReadAsync(peer, m, cancellationToken);
    }

    private async ValueTask MarkReadAsync(PairPeer peer, MessageEvent m, CancellationToken cancellationToken)
    {
        try
        {
            await peer.Client.ReadAsync(m.Conv, m.N, cancellationToken);
        }
        catch (ParleyException e)
        {
            _counters.CountError("read: " + e.Code);
        }
    }

    private static ValueTask OnReceipt(PairPeer peer, ReceiptEvent r)
    {
        if (r.Status == ReceiptStatuses.Delivered) peer.Delivered.Receipt(r.UpTo);
        else if (r.Status == ReceiptStatuses.Read)
        {
            // A read implies delivered.
            peer.Delivered.Receipt(r.UpTo);
            peer.Read?.Receipt(r.UpTo);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits (bounded) until every stored message was delivered and receipted.</summary>
    public async Task<bool> DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_settings.DrainSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (Outstanding() == 0 && _counters.Delivered >= _counters.Ok) return true;
            await Task.Delay(100, cancellationToken);
        }
        return Outstanding() == 0;
    }

    /// <summary>Stored messages whose receipts have not come yet.</summary>
    public long Outstanding() => _peers.Sum(p => (long)p.Delivered.Outstanding + (p.Read?.Outstanding ?? 0));

    /// <summary>Stored messages the partner never received.</summary>
    public long Lost() => _peers.Sum(p => p.MissingFrom(_peers[_peers.IndexOf(p) ^ 1]));

    public string Status() =>
        $"sent {_counters.Sent:N0}  ok {_counters.Ok:N0}  delivered {_counters.Delivered:N0}  errors {_counters.Errors}";

    /// <summary>The latency part of the report.</summary>
    public List<NamedLatency> Latencies()
    {
        var list = new List<NamedLatency>
        {
            new("send → ok (stored)", _ok.Summarize()),
            new("send → delivery", _delivery.Summarize()),
            new("send → delivered receipt", _deliveredReceipt.Summarize()),
        };
        if (_settings.Read) list.Add(new("send → read receipt", _readReceipt.Summarize()));
        return list;
    }

    /// <summary>The checks of the report: no loss, no duplicate, no error, receipts complete.</summary>
    public List<Check> Checks(bool drained)
    {
        var lost = Lost();
        return
        [
            new("every stored message delivered", lost == 0, $"{lost} lost of {_counters.Ok} stored"),
            new("no message delivered twice", _counters.Duplicates == 0, $"{_counters.Duplicates} duplicates"),
            new("no errors", _counters.Errors == 0, _counters.ErrorSummary()),
            new("every receipt came within --drain", drained, $"{Outstanding()} outstanding"),
        ];
    }

    public async Task DisposeAsync() => await Clients.DisposeAllAsync(_peers.Select(p => p.Client));
}

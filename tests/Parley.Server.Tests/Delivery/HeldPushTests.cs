using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Conversations;
using Parley.Core.Load;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Grains.Users;
using Parley.Server.Delivery;
using Parley.Server.Gateway;
using Parley.Server.Hosting;
using Parley.Server.Observability;
using Parley.Storage;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Server.Tests.Delivery;

/// <summary>
/// A connection's delivery when a live push comes past a gap in its seqs (in a cluster, another node's commit whose push
/// is still on its way): held until the pushes before it come, or read from the store once the wait is over. Against a
/// real SQLite store; the pushes carry frames of their own, so what the socket gets says which way each event went.
/// </summary>
public sealed class HeldPushTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-held-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly CancellationTokenSource _stop = new();
    private readonly GatedSocket _socket = new();
    private SqliteStore _store = null!;
    private OutboundQueue _outbound = null!;
    private InboxDelivery? _delivery;
    private long _clock = 1_800_000_000_000;

    public async Task InitializeAsync()
    {
        _store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = _dir }), NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        foreach (var user in (string[])["alice", "bob"]) Assert.True(await _store.CreateUserAsync(new NewUser(user, user, "hash", _clock++), default));
        _outbound = new OutboundQueue(_socket, capacity: 64, signalCapacity: 8, TimeSpan.FromSeconds(30), Metrics(), maxBytes: 1 << 20);
        _outbound.Start(TimeSpan.FromSeconds(1), _stop.Token);
        _socket.Open();
    }

    public async Task DisposeAsync()
    {
        if (_delivery is not null) await _delivery.DisposeAsync();
        await _stop.CancelAsync();
        _outbound.Dispose();
        await _store.StopAsync(default);
        _services.Dispose();
        _stop.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private ParleyMetrics Metrics() => new(_services.GetRequiredService<IMeterFactory>());

    /// <summary>Alice's delivery from seq 0, started; returns once it has sent what the store holds (<paramref name="stored"/> events).</summary>
    private async Task StartAsync(TimeSpan gapWait, int stored)
    {
        // Acks are not part of these tests: the publisher behind the forwarder is never reached.
        var publisher = new InboxPublisher(null!, null!, null!, Options.Create(new ClusterNodeOptions()), NullLogger<InboxPublisher>.Instance);
        var acks = new AckForwarder(_store, publisher, new Username("alice"), "phone", new NormalLoad(), TimeProvider.System, NullLogger.Instance, _stop.Token);
        _delivery = new InboxDelivery(new Username("alice"), _store, _outbound, acks, new DeliveryOptions { GapWait = gapWait }, TimeProvider.System,
            (_, _) => { }, Metrics(), NullLogger.Instance);
        _delivery.Start(0);
        _delivery.Run();
        for (var seq = 1; seq <= stored; seq++) Assert.Contains($"\"seq\":{seq},", await NextFrameAsync());
    }

    private async Task SendToAliceAsync(string cid)
    {
        var message = new NewMessage(Guid.NewGuid().ToString("N"), ConversationId.Direct("bob", "alice").Value, "bob", ["bob", "alice"], cid, "text",
            Encoding.UTF8.GetBytes($"\"{cid}\""), _clock++, null);
        Assert.Equal(AppendStatus.Stored, (await (await _store.EnqueueAppendAsync(message, default)).WaitAsync(WireClient.Timeout)).Status);
    }

    private static InboxPush Push(long seq) => new(seq, Encoding.UTF8.GetBytes($"push-{seq}"));

    private async Task<string> NextFrameAsync() => await _socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout);

    [Fact]
    public async Task Pushes_past_a_gap_wait_for_the_push_that_fills_it_and_follow_it_in_order()
    {
        await SendToAliceAsync("one");
        await StartAsync(TimeSpan.FromSeconds(30), stored: 1);

        // 3 and 4 come first (another node's commit, pushed sooner), then 2: no store read, and the order is the seqs'.
        _delivery!.OnPushed([Push(3), Push(4)]);
        _delivery.OnPushed(Push(2));

        Assert.Equal(["push-2", "push-3", "push-4"], [await NextFrameAsync(), await NextFrameAsync(), await NextFrameAsync()]);
        // And on from there as usual.
        _delivery.OnPushed(Push(5));
        Assert.Equal("push-5", await NextFrameAsync());
    }

    [Fact]
    public async Task A_gap_no_push_fills_within_the_wait_is_read_from_the_store()
    {
        await SendToAliceAsync("one");
        await StartAsync(TimeSpan.FromMilliseconds(50), stored: 1);
        await SendToAliceAsync("two");
        await SendToAliceAsync("three");

        // Seq 2's push never comes (a push lost with a node): after the wait, 2 and 3 come from the store, 3 once.
        _delivery!.OnPushed(Push(3));

        Assert.Contains("\"seq\":2,", await NextFrameAsync());
        Assert.Contains("\"seq\":3,", await NextFrameAsync());
        _delivery.OnPushed(Push(4));
        Assert.Equal("push-4", await NextFrameAsync());
    }

    private sealed class NormalLoad : ILoadLevel
    {
        public LoadLevel Current => LoadLevel.Normal;

        public TimeSpan SlowReceiptInterval => TimeSpan.FromSeconds(5);

        public void CountShed(string kind)
        {
        }
    }
}

using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Gateway;
using Parley.Server.Load;
using Parley.Server.Observability;
using Parley.Testing;

namespace Parley.Server.Tests.Security;

/// <summary>Issue 17 item 1, the writer alone: what is queued for a socket is counted in bytes and capped.</summary>
public sealed class OutboundBytesTests
{
    private static byte[] Frame(char fill, int bytes) => Encoding.UTF8.GetBytes(new string(fill, bytes));

    /// <summary>A writer of 16 frames a lane and 100 bytes in all over <paramref name="socket"/>, started.</summary>
    private static OutboundQueue StartQueue(GatedSocket socket, ServiceProvider services, CancellationToken stop)
    {
        var queue = new OutboundQueue(socket, capacity: 16, signalCapacity: 8, TimeSpan.FromSeconds(30),
            new ParleyMetrics(services.GetRequiredService<IMeterFactory>()), maxBytes: 100);
        queue.Start(TimeSpan.FromSeconds(1), stop);
        return queue;
    }

    [Fact]
    public async Task Replies_past_the_byte_cap_are_refused_signals_dropped_and_events_wait_for_room()
    {
        using var socket = new GatedSocket();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var stop = new CancellationTokenSource();
        using var queue = StartQueue(socket, services, stop.Token);

        // A frame larger than the cap still goes when nothing else is queued (a large history to a client that reads).
        Assert.True(queue.TryReply(Frame('a', 150)));
        await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout);
        Assert.Equal(150, queue.QueuedBytes);
        // It is stuck in the socket (a client that stopped reading): nothing more fits.
        Assert.False(queue.TryReply(Frame('b', 10)));
        Assert.False(queue.TrySignal(Frame('c', 10)));
        Assert.Equal(1, queue.DroppedSignals);
        var waiting = queue.EnqueueEventAsync(Frame('d', 40), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(150, queue.QueuedBytes);

        // Once the client reads, the event goes, and replies fit again under the cap.
        socket.Open();
        Assert.True(await waiting.WaitAsync(WireClient.Timeout));
        Assert.Equal(new string('d', 40), await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout));
        Assert.True(queue.TryReply(Frame('e', 60)));
        Assert.Equal(new string('e', 60), await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout));
        Assert.Null(queue.CloseCode);
        queue.Close(1000, "");
        await queue.Completion.WaitAsync(WireClient.Timeout);
        Assert.Equal(0, queue.QueuedBytes);
    }

    [Fact]
    public async Task The_reader_waits_while_the_queued_bytes_are_at_the_cap()
    {
        using var socket = new GatedSocket();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var stop = new CancellationTokenSource();
        using var queue = StartQueue(socket, services, stop.Token);

        Assert.True(queue.TryReply(Frame('a', 100)));
        await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout);
        // Few replies are queued, but their bytes are at the cap: the next request is not read until some are written.
        var room = queue.WaitForReplyRoomAsync(reserve: 1, CancellationToken.None).AsTask();
        Assert.False(room.IsCompleted);
        socket.Open();
        Assert.True(await room.WaitAsync(WireClient.Timeout));
        queue.Close(1000, "");
        await queue.Completion.WaitAsync(WireClient.Timeout);
    }

    [Fact]
    public void The_load_governor_rises_on_queued_bytes_alone()
    {
        var options = new GovernorOptions();
        // Few frames, but each a large history reply: the frame count alone would see nothing.
        Assert.Equal(0, new PressureSample(OutboundBacklog: 100, OutboundBytes: 100L * 1024 * 1024, 0, 0, 0, 0).LevelUnder(options));
        Assert.Equal(2, new PressureSample(OutboundBacklog: 300, OutboundBytes: 1536L * 1024 * 1024, 0, 0, 0, 0).LevelUnder(options));
        Assert.Equal(3, new PressureSample(OutboundBacklog: 700, OutboundBytes: 3L * 1024 * 1024 * 1024, 0, 0, 0, 0).LevelUnder(options));
    }
}

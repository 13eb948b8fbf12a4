using System.Net.WebSockets;
using System.Text;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Gateway;
using Parley.Server.Observability;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>The writer's droppable lane for presence and typing: last in line, shed when full, never closing the socket.</summary>
public sealed class SignalLaneTests
{
    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Signals_go_after_replies_and_events_and_are_dropped_when_their_lane_is_full()
    {
        using var socket = new GatedSocket();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var queue = new OutboundQueue(socket, capacity: 16, signalCapacity: 2, TimeSpan.FromSeconds(30),
            new ParleyMetrics(services.GetRequiredService<IMeterFactory>()), maxBytes: long.MaxValue);
        using var stop = new CancellationTokenSource();
        queue.Start(TimeSpan.FromSeconds(1), stop.Token);

        // The first frame is stuck in the socket (a slow client); everything else queues behind it.
        Assert.True(queue.TryReply(Frame("reply 1")));
        Assert.Equal("reply 1", await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout));
        Assert.True(queue.TrySignal(Frame("typing 1")));
        Assert.True(queue.TrySignal(Frame("typing 2")));
        Assert.False(queue.TrySignal(Frame("typing 3")));
        Assert.True(await queue.EnqueueEventAsync(Frame("event 1"), CancellationToken.None));
        Assert.True(queue.TryReply(Frame("reply 2")));
        Assert.Null(queue.CloseCode);
        Assert.Equal(1, queue.DroppedSignals);

        socket.Open();
        var sent = new List<string>();
        for (var i = 0; i < 4; i++) sent.Add(await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout));
        Assert.Equal(["event 1", "reply 2", "typing 1", "typing 2"], sent);

        // Room again once written.
        Assert.True(queue.TrySignal(Frame("typing 4")));
        Assert.Equal("typing 4", await socket.Sent.Reader.ReadAsync().AsTask().WaitAsync(WireClient.Timeout));
        queue.Close(1000, "");
        await queue.Completion.WaitAsync(WireClient.Timeout);
    }
}

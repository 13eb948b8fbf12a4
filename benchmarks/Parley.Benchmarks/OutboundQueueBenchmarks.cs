using Microsoft.Extensions.DependencyInjection;
using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Parley.Server.Gateway;

namespace Parley.Benchmarks;

/// <summary>
/// The per-socket writer: frames queued from other threads and written by its one loop to a WebSocket whose other
/// end discards them (an in-memory stream), so the figure is the queue's own cost plus WebSocket framing.
/// One operation is one 200-byte frame.
/// </summary>
[MemoryDiagnoser]
public class OutboundQueueBenchmarks
{
    private const int Frames = 1024;
    private readonly byte[] _frame = new byte[200];
    private static readonly Parley.Server.Observability.ParleyMetrics Metrics = new(
        new Microsoft.Extensions.DependencyInjection.ServiceCollection().AddMetrics().BuildServiceProvider()
            .GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

    [Benchmark(OperationsPerInvoke = Frames)]
    public async Task EventsThroughQueue()
    {
        using var socket = WebSocket.CreateFromStream(new DiscardStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        using var queue = new OutboundQueue(socket, capacity: 256, signalCapacity: 16, stallTimeout: TimeSpan.FromSeconds(10), Metrics,
            maxBytes: new GatewayOptions().MaxQueuedBytes);
        queue.Start(TimeSpan.FromSeconds(1), CancellationToken.None);
        for (var i = 0; i < Frames; i++) await queue.EnqueueEventAsync(_frame, CancellationToken.None);
        queue.Close(1000, "done");
        await queue.Completion;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public async Task DirectSocketWrites()
    {
        // The floor: the same frames written straight to the socket, one caller, no queue.
        using var socket = WebSocket.CreateFromStream(new DiscardStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        for (var i = 0; i < Frames; i++) await socket.SendAsync(_frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    /// <summary>A stream that accepts every write and never has anything to read.</summary>
    private sealed class DiscardStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => 0;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) { }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}

using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Gateway;
using Parley.Server.Observability;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// Frames queued behind each other leave in one write: a real server WebSocket over a <see cref="CoalescingStream"/>,
/// whose writes are recorded and read back by a real client WebSocket.
/// </summary>
public sealed class WriteCoalescingTests
{
    private static byte[] Frame(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Frames_queued_while_a_write_is_under_way_go_out_together_in_one_write()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport, bufferBytes: 16_384);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var queue = new OutboundQueue(socket, capacity: 16, signalCapacity: 4, TimeSpan.FromSeconds(30),
            new ParleyMetrics(services.GetRequiredService<IMeterFactory>()), stream);
        queue.Start(TimeSpan.FromSeconds(5), CancellationToken.None);

        // The first frame's write is stuck (a client slow to read); three more queue behind it.
        transport.Block();
        Assert.True(queue.TryReply(Frame("one")));
        await transport.WaitForWritesAsync(1);
        Assert.True(queue.TryReply(Frame("two")));
        Assert.True(await queue.EnqueueEventAsync(Frame("three"), CancellationToken.None));
        Assert.True(queue.TrySignal(Frame("four")));
        transport.Unblock();
        await transport.WaitForWritesAsync(2);

        queue.Close(1000, "done");
        await queue.Completion.WaitAsync(WireClient.Timeout);
        var writes = transport.Writes();
        // The three that waited went out in one write; the close frame in its own.
        Assert.Equal(3, writes.Count);
        Assert.Equal(["one"], await ReadMessagesAsync(writes[0]));
        Assert.Equal(["two", "three", "four"], await ReadMessagesAsync(writes[1]));
        Assert.Empty(await ReadMessagesAsync(writes[2]));
    }

    [Fact]
    public async Task A_held_stream_writes_out_when_its_buffer_is_full_and_writes_through_when_not_held()
    {
        var transport = new RecordingStream();
        var stream = new CoalescingStream(transport, bufferBytes: 1_000);
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });

        stream.Hold = true;
        var body = new string('x', 400);
        for (var i = 0; i < 3; i++) await socket.SendAsync(Frame(body + i), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        // Two frames fit in 1,000 bytes; the third did not, so the first two were written out ahead of it.
        Assert.Single(transport.Writes());

        stream.Hold = false;
        await socket.SendAsync(Frame("last"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        await socket.SendAsync(Frame("alone"), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var writes = transport.Writes();
        Assert.Equal(3, writes.Count);
        Assert.Equal([body + 0, body + 1], await ReadMessagesAsync(writes[0]));
        Assert.Equal([body + 2, "last"], await ReadMessagesAsync(writes[1]));
        Assert.Equal(["alone"], await ReadMessagesAsync(writes[2]));
    }

    /// <summary>The text messages a client WebSocket reads from <paramref name="bytes"/> (up to a close frame or the end).</summary>
    private static async Task<List<string>> ReadMessagesAsync(byte[] bytes)
    {
        using var client = WebSocket.CreateFromStream(new DuplexStream(bytes), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await client.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            }
            catch (WebSocketException)
            {
                return messages; // the end of the recorded bytes
            }
            if (result.MessageType == WebSocketMessageType.Close) return messages;
            Assert.True(result.EndOfMessage);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
    }

    /// <summary>Records each write; writes can be held back until the test lets them finish.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly Lock _lock = new();
        private readonly List<byte[]> _writes = [];
        private TaskCompletionSource _gate = Completed();
        private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private static TaskCompletionSource Completed()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }

        public void Block() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Unblock() => _gate.TrySetResult();

        public List<byte[]> Writes()
        {
            lock (_lock) return [.. _writes];
        }

        public async Task WaitForWritesAsync(int count)
        {
            while (true)
            {
                Task written;
                lock (_lock)
                {
                    if (_writes.Count >= count) return;
                    written = _written.Task;
                }
                await written.WaitAsync(WireClient.Timeout);
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_lock)
            {
                _writes.Add(buffer.ToArray());
                _written.TrySetResult();
                _written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            await _gate.Task.WaitAsync(cancellationToken);
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => 0;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Reads from fixed bytes; accepts and drops writes (a client's close reply).</summary>
    private sealed class DuplexStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _input = new(bytes);

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);
        public override void Write(byte[] buffer, int offset, int count) { }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

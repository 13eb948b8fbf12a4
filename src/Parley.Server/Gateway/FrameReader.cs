using System.Buffers;
using System.Net.WebSockets;

namespace Parley.Server.Gateway;

/// <summary>The outcome of reading one WebSocket message.</summary>
internal enum FrameReadStatus
{
    Text,
    Binary,
    TooLarge,
    Closed,
}

/// <summary>
/// Reads whole WebSocket messages into a pooled buffer that grows up to the frame limit and is
/// given back between frames, so an idle socket holds no receive buffer.
/// </summary>
internal sealed class FrameReader(WebSocket socket, int maxFrameBytes) : IDisposable
{
    private const int InitialBufferBytes = 4096;
    private byte[]? _buffer;
    private int _length;

    /// <summary>The frame just read; valid until the next read.</summary>
    public ReadOnlySpan<byte> Frame => _buffer.AsSpan(0, _length);

    public async ValueTask<FrameReadStatus> ReadAsync(CancellationToken cancellationToken) =>
        await ReadAsync(await WaitAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Waits for the next message without holding a buffer (a zero-byte receive); give its result to
    /// <see cref="ReadAsync(ValueWebSocketReceiveResult, CancellationToken)"/>. Not an async method of its own: the
    /// socket's reader waits here for most of its life, and a state machine box per wait would be 136 B per idle socket.
    /// </summary>
    public ValueTask<ValueWebSocketReceiveResult> WaitAsync(CancellationToken cancellationToken)
    {
        Release();
        return socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
    }

    /// <summary>Reads the message whose start <see cref="WaitAsync"/> returned.</summary>
    public ValueTask<FrameReadStatus> ReadAsync(ValueWebSocketReceiveResult first, CancellationToken cancellationToken)
    {
        if (first.MessageType == WebSocketMessageType.Close) return ValueTask.FromResult(FrameReadStatus.Closed);
        if (first.EndOfMessage)
        {
            // An empty message: nothing more to read for it.
            return ValueTask.FromResult(first.MessageType == WebSocketMessageType.Text ? FrameReadStatus.Text : FrameReadStatus.Binary);
        }
        return ReadRestAsync(cancellationToken);
    }

    private async ValueTask<FrameReadStatus> ReadRestAsync(CancellationToken cancellationToken)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        _length = 0;
        while (true)
        {
            if (_length == _buffer.Length)
            {
                if (_length > maxFrameBytes) return FrameReadStatus.TooLarge;
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxFrameBytes + 1));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = bigger;
            }
            var result = await socket.ReceiveAsync(_buffer.AsMemory(_length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return FrameReadStatus.Closed;
            _length += result.Count;
            if (_length > maxFrameBytes) return FrameReadStatus.TooLarge;
            if (result.EndOfMessage)
            {
                return result.MessageType == WebSocketMessageType.Text ? FrameReadStatus.Text : FrameReadStatus.Binary;
            }
        }
    }

    private void Release()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        _length = 0;
    }

    public void Dispose() => Release();
}

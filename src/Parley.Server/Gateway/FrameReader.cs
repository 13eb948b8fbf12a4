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

    public async ValueTask<FrameReadStatus> ReadAsync(CancellationToken cancellationToken)
    {
        Release();
        // Wait for data without holding a buffer: an idle connection costs no receive memory.
        var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (first.MessageType == WebSocketMessageType.Close) return FrameReadStatus.Closed;
        if (first.EndOfMessage)
        {
            // An empty message: nothing more to read for it.
            return first.MessageType == WebSocketMessageType.Text ? FrameReadStatus.Text : FrameReadStatus.Binary;
        }

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

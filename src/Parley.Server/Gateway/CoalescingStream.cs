using System.Buffers;

namespace Parley.Server.Gateway;

/// <summary>
/// The upgraded connection under a WebSocket. While its writer holds it (<see cref="Hold"/>: more frames are
/// queued right behind this one), written frames gather in a pooled buffer; the first write that is not held
/// sends them all at once, so a burst of frames costs one write and one flush instead of one each.
/// Not held, writes go straight through, and an idle socket holds no buffer.
/// </summary>
/// <remarks>
/// The WebSocket serializes its writes (the writer's frames, its pongs, its close frame) and calls
/// <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/> and <see cref="FlushAsync(CancellationToken)"/>
/// only inside that serialization, so the buffer is never touched by two writes at once; a pong written while
/// held simply joins the batch. Only <see cref="Hold"/> is set from outside it.
/// </remarks>
internal sealed class CoalescingStream(Stream inner, int bufferBytes) : Stream
{
    private byte[]? _buffer;
    private int _length;
    private volatile bool _hold;

    /// <summary>Set by the writer before each frame: true when another frame follows at once.</summary>
    public bool Hold
    {
        get => _hold;
        set => _hold = value;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_hold) return _length == 0 ? inner.WriteAsync(buffer, cancellationToken) : WriteOutAsync(buffer, cancellationToken);
        if (buffer.Length <= bufferBytes - _length)
        {
            _buffer ??= ArrayPool<byte>.Shared.Rent(bufferBytes);
            buffer.Span.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
        // Full: what is buffered goes out, and this frame starts the next batch (unless it alone is too big for one).
        return _length == 0 ? inner.WriteAsync(buffer, cancellationToken) : WriteOutAndHoldAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteOutAndHoldAsync(ReadOnlyMemory<byte> next, CancellationToken cancellationToken)
    {
        await WriteOutAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
        await WriteAsync(next, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_hold) return Task.CompletedTask;
        return _length == 0 ? inner.FlushAsync(cancellationToken) : FlushBufferedAsync(cancellationToken);
    }

    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Sends what is buffered together with <paramref name="next"/> (in one write when it fits).</summary>
    private async ValueTask WriteOutAsync(ReadOnlyMemory<byte> next, CancellationToken cancellationToken)
    {
        var buffer = _buffer!;
        if (next.Length <= bufferBytes - _length)
        {
            next.Span.CopyTo(buffer.AsSpan(_length));
            _length += next.Length;
            next = ReadOnlyMemory<byte>.Empty;
        }
        try
        {
            await inner.WriteAsync(buffer.AsMemory(0, _length), cancellationToken);
        }
        finally
        {
            Release();
        }
        if (!next.IsEmpty) await inner.WriteAsync(next, cancellationToken);
    }

    private async Task FlushBufferedAsync(CancellationToken cancellationToken)
    {
        await WriteOutAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    private void Release()
    {
        var buffer = _buffer;
        _buffer = null;
        _length = 0;
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // A write may still be under way on another thread (an abort): the buffer is left to the GC, not returned.
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

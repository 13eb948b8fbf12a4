using System.Buffers;
using System.IO.Pipelines;

namespace ConnRelay;

/// <summary>
/// The transport's pipes as the Stream <c>WebSocket.CreateFromStream</c> wants: reads copy out of the input pipe
/// (a zero-byte read waits for data and takes nothing, so an idle socket holds no buffer), writes go to the output
/// pipe and are flushed. Async only; the pipes belong to Kestrel, which completes them when the connection ends.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await transport.Input.ReadAsync(cancellationToken);
            var count = CopyOut(result, buffer.Span, out var waitForMore);
            if (!waitForMore) return count;
        }
    }

    /// <summary>Copies what fits and consumes it; asks to wait again only when nothing came yet and more may come.</summary>
    private int CopyOut(ReadResult result, Span<byte> destination, out bool waitForMore)
    {
        var buffer = result.Buffer;
        waitForMore = false;
        if (result.IsCanceled) throw new OperationCanceledException("the read was cancelled");
        if (buffer.IsEmpty)
        {
            transport.Input.AdvanceTo(buffer.End);
            waitForMore = !result.IsCompleted;
            return 0;
        }
        // A zero-byte read: data is there; leave it for the next read.
        var count = (int)Math.Min(buffer.Length, destination.Length);
        buffer.Slice(0, count).CopyTo(destination);
        transport.Input.AdvanceTo(buffer.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var result = await transport.Output.WriteAsync(buffer, cancellationToken);
        if (result.IsCanceled) throw new OperationCanceledException("the write was cancelled");
        if (result.IsCompleted) throw new IOException("the connection is closed");
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => transport.Output.FlushAsync(cancellationToken).AsTask();

    public override void Flush() => throw new NotSupportedException("async only");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

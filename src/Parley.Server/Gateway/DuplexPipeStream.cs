using System.Buffers;
using System.IO.Pipelines;

namespace Parley.Server.Gateway;

/// <summary>
/// A connection's transport pipes as the Stream <c>WebSocket.CreateFromStream</c> wants: reads copy out of the input
/// pipe (a zero-byte read waits for data and takes nothing, so an idle socket holds no buffer), writes go to the output
/// pipe and are flushed. Async only. The pipes belong to Kestrel, which completes them when the connection ends.
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
{
    private volatile bool _disposed;

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
            ObjectDisposedException.ThrowIf(_disposed, this);
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
        if (result.IsCanceled)
        {
            transport.Input.AdvanceTo(buffer.Start);
            throw new OperationCanceledException("the socket was aborted");
        }
        if (buffer.IsEmpty)
        {
            transport.Input.AdvanceTo(buffer.End);
            waitForMore = !result.IsCompleted;
            return 0;
        }
        // For a zero-byte read the data stays where it is, unexamined, so that the next read returns it at once.
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

    /// <summary>
    /// The WebSocket disposes its stream when it is aborted (its keep-alive gave up on a silent peer, a cancelled
    /// receive) and when both closes are done. A network stream would end a pending read by closing; the pipes are
    /// Kestrel's to complete, so the pending read is cancelled instead: otherwise an aborted socket's reader would wait
    /// for bytes that a dead peer never sends.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            transport.Input.CancelPendingRead();
        }
        base.Dispose(disposing);
    }
}

namespace Parley.Client.Http.Uploads;

/// <summary>
/// One <c>PATCH</c> body: <c>length</c> bytes of the file from where its stream stands, read as the connection takes
/// them (nothing is buffered here), each read reported as progress.
/// </summary>
internal sealed class ChunkContent(Stream file, long start, long length, long total, IProgress<UploadProgress>? progress) : Stream
{
    private long _sent;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _sent;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = (int)Math.Min(buffer.Length, length - _sent);
        if (want == 0) return 0;
        return Count(await file.ReadAsync(buffer[..want], cancellationToken));
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var want = (int)Math.Min(count, length - _sent);
        return want == 0 ? 0 : Count(file.Read(buffer, offset, want));
    }

    private int Count(int read)
    {
        if (read == 0) throw new EndOfStreamException($"the file ended at {start + _sent} of its {total} bytes: it changed while it was uploaded");
        _sent += read;
        progress?.Report(new UploadProgress(start + _sent, total));
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

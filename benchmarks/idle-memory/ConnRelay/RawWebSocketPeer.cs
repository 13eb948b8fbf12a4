using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text.Unicode;

namespace ConnRelay;

/// <summary>
/// Variant <c>raw</c>: RFC 6455 framing of its own over the transport's PipeReader and PipeWriter. Client frames are
/// unmasked as they arrive into a pooled buffer that exists only while a message is being assembled (so an idle socket
/// holds no buffer: the only await pending is the pipe read); text, binary, continuation, ping, pong and close; a
/// message over the limit is answered with 1009, a protocol error with 1002, invalid UTF-8 with 1007.
/// </summary>
internal sealed class RawWebSocketPeer(IDuplexPipe transport, Relay relay, int maxMessageBytes) : RelayPeer
{
    private const int FirstBufferBytes = 4096;
    private const ushort ProtocolError = 1002;
    private const ushort InvalidPayload = 1007;
    private const ushort MessageTooBig = 1009;

    // The data frame being read (its payload may arrive over several reads) and how much of its payload is in.
    private FrameHeader _frame;
    private long _payloadRead;
    private bool _inFrame;

    // The message being assembled: its type (Continuation when none) and its payload so far.
    private Opcode _messageOpcode;
    private byte[]? _message;
    private int _messageLength;

    /// <summary>Reads and routes messages until the socket closes, fails or is lost.</summary>
    public async Task<ReceiveOutcome> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                // Nothing but this read is pending while the socket is idle; the read result is not kept across it.
                var outcome = Consume(await transport.Input.ReadAsync(cancellationToken));
                if (outcome != ReceiveOutcome.Open) return outcome;
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            return ReceiveOutcome.Lost;
        }
        finally
        {
            ReleaseMessage();
        }
    }

    /// <summary>After a close of our own: takes (and drops) what the peer still sends until it ends the connection, within the timeout.</summary>
    /// <remarks>Closing with unread bytes would make the kernel answer with a reset, which may destroy the close frame before the peer reads it.</remarks>
    public async Task LingerAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (!Drop(await transport.Input.ReadAsync(deadline.Token)))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // It did not end the connection in time, or reset it: the connection is cut either way.
        }
    }

    private bool Drop(ReadResult result)
    {
        transport.Input.AdvanceTo(result.Buffer.End);
        return result.IsCompleted || result.IsCanceled;
    }

    private ReceiveOutcome Consume(ReadResult result)
    {
        var buffer = result.Buffer;
        var outcome = result.IsCanceled ? ReceiveOutcome.Lost : ReadFrames(ref buffer);
        transport.Input.AdvanceTo(buffer.Start, buffer.End);
        return outcome == ReceiveOutcome.Open && result.IsCompleted ? ReceiveOutcome.Lost : outcome;
    }

    /// <summary>Takes every whole header and all payload bytes there are from <paramref name="buffer"/>; leaves the rest in it.</summary>
    private ReceiveOutcome ReadFrames(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            if (_inFrame)
            {
                var left = _frame.PayloadLength - _payloadRead;
                if (left > 0)
                {
                    if (buffer.IsEmpty) return ReceiveOutcome.Open;
                    var take = (int)Math.Min(left, buffer.Length);
                    var into = _message.AsSpan(_messageLength, take);
                    buffer.Slice(0, take).CopyTo(into);
                    FrameHeader.Unmask(into, _frame.MaskKey, _payloadRead);
                    (_messageLength, _payloadRead) = (_messageLength + take, _payloadRead + take);
                    buffer = buffer.Slice(take);
                    if (_payloadRead < _frame.PayloadLength) return ReceiveOutcome.Open;
                }
                _inFrame = false;
                if (!_frame.Fin) continue;
                var completed = CompleteMessage();
                if (completed != ReceiveOutcome.Open) return completed;
                continue;
            }

            if (!FrameHeader.TryRead(buffer, out var header)) return ReceiveOutcome.Open;
            // Client frames must be masked (section 5.1); no extension was agreed, so no reserved bit may be set.
            if (header.HasReservedBits || !header.Masked || header.PayloadLength < 0) return Fail(ProtocolError);
            if (header.IsControl)
            {
                if (!header.Fin || header.PayloadLength > 125) return Fail(ProtocolError);
                // A control frame is small (at most 125 bytes): it is handled once it is all in.
                if (buffer.Length < header.Length + header.PayloadLength) return ReceiveOutcome.Open;
                var payload = buffer.Slice(header.Length, header.PayloadLength).ToArray();
                FrameHeader.Unmask(payload, header.MaskKey, 0);
                buffer = buffer.Slice(header.Length + header.PayloadLength);
                switch (header.Opcode)
                {
                    case Opcode.Ping:
                        SendControl(Opcode.Pong, payload);
                        continue;
                    case Opcode.Pong:
                        continue;
                    case Opcode.Close:
                        return AnswerClose(payload);
                    default:
                        return Fail(ProtocolError);
                }
            }

            switch (header.Opcode)
            {
                case Opcode.Continuation when _messageOpcode == Opcode.Continuation:
                    return Fail(ProtocolError);  // nothing to continue
                case Opcode.Continuation:
                    break;
                case Opcode.Text or Opcode.Binary when _messageOpcode != Opcode.Continuation:
                    return Fail(ProtocolError);  // a new message before the last one's final frame
                case Opcode.Text or Opcode.Binary:
                    _messageOpcode = header.Opcode;
                    break;
                default:
                    return Fail(ProtocolError);
            }
            if (header.PayloadLength > maxMessageBytes - _messageLength) return Fail(MessageTooBig);
            Reserve(_messageLength + (int)header.PayloadLength);
            (_frame, _payloadRead, _inFrame) = (header, 0, true);
            buffer = buffer.Slice(header.Length);
        }
    }

    private ReceiveOutcome CompleteMessage()
    {
        var message = _message.AsSpan(0, _messageLength);
        var text = _messageOpcode == Opcode.Text;
        _messageOpcode = Opcode.Continuation;
        if (text && !Utf8.IsValid(message)) return Fail(InvalidPayload);
        if (!message.IsEmpty) relay.Route(this, message);  // an empty message routes nowhere (as in the kit's relay)
        ReleaseMessage();
        return ReceiveOutcome.Open;
    }

    /// <summary>Answers the peer's close with its own code (section 5.5.1), or an empty close to an empty one.</summary>
    private ReceiveOutcome AnswerClose(byte[] payload)
    {
        if (payload.Length == 0)
        {
            SendClose([]);
            return ReceiveOutcome.PeerClosed;
        }
        if (payload.Length == 1) return Fail(ProtocolError);
        var code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        // Codes a peer may send (section 7.4 and IANA's registry): not 1004-1006, 1015, other 1xxx-2xxx, or 5000 on.
        if (code is not ((>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999))) return Fail(ProtocolError);
        if (!Utf8.IsValid(payload.AsSpan(2))) return Fail(InvalidPayload);
        SendClose(CloseCode(code));
        return ReceiveOutcome.PeerClosed;
    }

    private ReceiveOutcome Fail(ushort code)
    {
        ReleaseMessage();
        SendClose(CloseCode(code));
        return ReceiveOutcome.Failed;
    }

    private static byte[] CloseCode(ushort code)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        return payload;
    }

    private void Reserve(int bytes)
    {
        if (bytes == 0 || (_message is not null && _message.Length >= bytes)) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(bytes, FirstBufferBytes));
        if (_message is not null)
        {
            _message.AsSpan(0, _messageLength).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_message);
        }
        _message = bigger;
    }

    private void ReleaseMessage()
    {
        if (_message is not null) ArrayPool<byte>.Shared.Return(_message);
        (_message, _messageLength) = (null, 0);
    }

    protected override async ValueTask<bool> WriteAsync(OutboundFrame frame)
    {
        try
        {
            var output = transport.Output;
            output.Advance(FrameHeader.Write(output.GetSpan(10), frame.Opcode, frame.Payload.Length));
            output.Write(frame.Payload);
            var flushed = await output.FlushAsync();
            return !flushed.IsCompleted && !flushed.IsCanceled;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}

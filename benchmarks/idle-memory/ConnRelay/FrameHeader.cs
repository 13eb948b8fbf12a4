using System.Buffers;

namespace ConnRelay;

/// <summary>A WebSocket frame's header (RFC 6455 section 5.2): 2 to 14 bytes.</summary>
internal readonly record struct FrameHeader(byte First, byte Second, long PayloadLength, uint MaskKey, int Length)
{
    public bool Fin => (First & 0x80) != 0;

    public bool HasReservedBits => (First & 0x70) != 0;

    public Opcode Opcode => (Opcode)(First & 0x0F);

    public bool IsControl => (First & 0x08) != 0;

    public bool Masked => (Second & 0x80) != 0;

    /// <summary>Reads a whole header from the start of <paramref name="buffer"/>, or says it has not all arrived.</summary>
    public static bool TryRead(ReadOnlySequence<byte> buffer, out FrameHeader header)
    {
        header = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first) || !reader.TryRead(out var second)) return false;
        long length = second & 0x7F;
        if (length == 126)
        {
            if (!reader.TryReadBigEndian(out short extended)) return false;
            length = (ushort)extended;
        }
        else if (length == 127)
        {
            // The most significant bit must be 0; a negative length is refused by the caller as a protocol error.
            if (!reader.TryReadBigEndian(out long extended)) return false;
            length = extended;
        }
        uint mask = 0;
        if ((second & 0x80) != 0)
        {
            if (!reader.TryReadBigEndian(out int key)) return false;
            mask = (uint)key;
        }
        header = new FrameHeader(first, second, length, mask, (int)reader.Consumed);
        return true;
    }

    /// <summary>Writes a server frame's header (never masked) for a final frame; returns its length.</summary>
    public static int Write(Span<byte> destination, Opcode opcode, int payloadLength)
    {
        destination[0] = (byte)(0x80 | (byte)opcode);
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }
        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }
        destination[1] = 127;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>Unmasks (or masks: the same XOR) <paramref name="data"/>, which starts <paramref name="offset"/> bytes into the payload.</summary>
    public static void Unmask(Span<byte> data, uint maskKey, long offset)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var keyByte = (int)((offset + i) & 3);
            data[i] ^= (byte)(maskKey >> (24 - (8 * keyByte)));
        }
    }
}

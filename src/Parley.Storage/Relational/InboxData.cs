using System.Text.Json;

namespace Parley.Storage.Relational;

/// <summary>The <c>data</c> column of an inbox entry: the event's own fields as a JSON object.</summary>
internal static class InboxData
{
    public static string Object(Action<Utf8JsonWriter> fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Protocol.Client;

/// <summary>
/// A message body is the JSON text of one JSON string or object, carried byte for byte. These helpers make
/// one from plain text, check one, and read the text back out of a string body.
/// </summary>
public static class BodyJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body for a plain text: the text as a JSON string literal, quotes included.</summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var buffer = new ArrayBufferWriter<byte>(text.Length + 16);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStringValue(text);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Whether <paramref name="bodyJson"/> is exactly one JSON string or object (white space around it allowed).</summary>
    public static bool IsValid(string? bodyJson)
    {
        if (string.IsNullOrEmpty(bodyJson)) return false;
        var utf8 = Encoding.UTF8.GetBytes(bodyJson);
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType is not (JsonTokenType.String or JsonTokenType.StartObject)) return false;
            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The size the server counts against <c>limits.maxBodyBytes</c>: the UTF-8 length of the JSON text.</summary>
    public static int Utf8Length(string bodyJson) => Encoding.UTF8.GetByteCount(bodyJson);

    /// <summary>The text of a body that is a JSON string.</summary>
    /// <returns>False when the body is an object (or not valid JSON).</returns>
    public static bool TryGetText(string bodyJson, [NotNullWhen(true)] out string? text)
    {
        text = null;
        if (string.IsNullOrEmpty(bodyJson)) return false;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(bodyJson));
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) return false;
            text = reader.GetString()!;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

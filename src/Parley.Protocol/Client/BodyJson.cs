using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parley.Protocol.Client;

/// <summary>
/// A message body is the JSON text of one JSON string or object, carried byte for byte. These helpers make
/// one from plain text, check one, and read the text back out of a string body.
/// </summary>
public static class BodyJson
{
    /// <summary>
    /// The body for a plain text: the text as a JSON string literal, quotes included. Only what JSON requires is
    /// escaped (quote, backslash, control characters, lone surrogates), so that the body stays as small as the text.
    /// </summary>
    public static string FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length + 2);
        builder.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (c < ' ' || IsLoneSurrogate(text, i)) builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    private static bool IsLoneSurrogate(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c)) return i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]);
        if (char.IsLowSurrogate(c)) return i == 0 || !char.IsHighSurrogate(text[i - 1]);
        return false;
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

    /// <summary>
    /// The text a person reads in a body, by the clients' convention: a JSON string is the text; an object's string field
    /// <c>text</c> is (the web client's shape for richer bodies); anything else has none.
    /// </summary>
    /// <returns>The text, or null (an object without a string <c>text</c>, a deleted message, invalid JSON).</returns>
    public static string? TextOf(string? bodyJson)
    {
        if (string.IsNullOrEmpty(bodyJson)) return null;
        if (TryGetText(bodyJson, out var text)) return text;
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(bodyJson), new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

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

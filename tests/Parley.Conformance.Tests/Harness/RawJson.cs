using System.Text;
using System.Text.Json;

namespace Parley.Conformance.Tests.Harness;

/// <summary>
/// Reads the exact source text of JSON values, so that tests can compare what the server
/// forwarded byte for byte instead of a re-serialized copy.
/// </summary>
public static class RawJson
{
    /// <summary>
    /// The source text of every value of a property called <paramref name="name"/>, at any depth,
    /// in document order. A matched value is not searched inside.
    /// </summary>
    public static IReadOnlyList<string> Values(string json, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var found = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(name)) continue;
            reader.Read();
            var start = checked((int)reader.TokenStartIndex);
            reader.Skip();
            var end = checked((int)reader.BytesConsumed);
            found.Add(Encoding.UTF8.GetString(bytes, start, end - start));
        }
        return found;
    }

    /// <summary>The source text of the single value of <paramref name="name"/> (first occurrence).</summary>
    public static string Value(string json, string name)
    {
        var values = Values(json, name);
        return values.Count > 0 ? values[0] : throw new KeyNotFoundException($"no \"{name}\" in {json}");
    }

    /// <summary>A string as a JSON string literal.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value);
}

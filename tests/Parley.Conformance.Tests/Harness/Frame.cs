using System.Text.Json;

namespace Parley.Conformance.Tests.Harness;

/// <summary>One text frame the server sent: its exact text and its parsed form.</summary>
public sealed class Frame
{
    private static readonly HashSet<string> InboxEventTypes =
        ["message", "receipt", "group", "settings", "failed", "deleted", "reaction", "edited"];

    private Frame(string raw, JsonElement json, bool parsed)
    {
        Raw = raw;
        Json = json;
        IsJsonObject = parsed && json.ValueKind == JsonValueKind.Object;
    }

    /// <summary>The frame's text exactly as received.</summary>
    public string Raw { get; }

    /// <summary>The parsed frame (an empty object when the text was not JSON).</summary>
    public JsonElement Json { get; }

    /// <summary>Whether the text was a JSON object, as every frame must be.</summary>
    public bool IsJsonObject { get; }

    public string? Type => Str("type");

    public string? Rid => Str("rid");

    public long? Seq => Json.TryGetProperty("seq", out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>An event of the user's inbox (it carries a <c>seq</c> and must be acked).</summary>
    public bool IsInboxEvent => Type is { } t && InboxEventTypes.Contains(t) && Seq is not null;

    public bool IsOk => Type == "ok";

    public bool IsError => Type == "error";

    public bool Has(string name) => Json.TryGetProperty(name, out _);

    public JsonElement Get(string name) =>
        Json.TryGetProperty(name, out var v) ? v : throw new KeyNotFoundException($"no \"{name}\" in frame {Raw}");

    public string? Str(string name) =>
        Json.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public long Number(string name)
    {
        var v = Get(name);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)
            ? n
            : throw new InvalidOperationException($"\"{name}\" is not an integer in frame {Raw}");
    }

    public static Frame Parse(string raw)
    {
        try
        {
            using var doc = JsonDocument.Parse(raw);
            return new Frame(raw, doc.RootElement.Clone(), parsed: true);
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            return new Frame(raw, empty.RootElement.Clone(), parsed: false);
        }
    }

    public override string ToString() => Raw;
}

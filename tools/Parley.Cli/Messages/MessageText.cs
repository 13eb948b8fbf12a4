using System.Globalization;
using Parley.Protocol;
using Parley.Protocol.Client;

namespace Parley.Cli.Messages;

/// <summary>How a message reads on a terminal: its text, media as <c>[image 1280×720] caption</c>.</summary>
internal static class MessageText
{
    public static string Of(HistoryMessage m) => Of(m.Kind, m.Body, m.Media);

    public static string Of(MessageEvent m) => Of(m.Kind, m.Body, m.Media);

    /// <summary>A history line's text with what v1.1 adds: <c>(reply to #3) text (edited) [👍 alice, ❤️ carol]</c>.</summary>
    public static string Line(HistoryMessage m) => Decorate(Of(m), m.ReplyTo, m.EditedAt, m.Reactions);

    /// <summary>A live message's text: <c>(reply to #3) text (edited)</c>.</summary>
    public static string Line(MessageEvent m) => Decorate(Of(m), m.ReplyTo, m.EditedAt, []);

    /// <summary><c>👍 alice, ❤️ carol</c>: who reacted how, in the order the reactions were first made.</summary>
    public static string Reactions(IEnumerable<MessageReaction> reactions) => string.Join(", ", reactions.Select(r => $"{r.Emoji} {r.By}"));

    private static string Decorate(string text, long? replyTo, long? editedAt, IReadOnlyList<MessageReaction> reactions)
    {
        if (replyTo is { } n) text = $"(reply to #{n}) {text}";
        if (editedAt is not null) text += " (edited)";
        if (reactions.Count > 0) text += $" [{Reactions(reactions)}]";
        return text;
    }

    public static string Of(string kind, string? bodyJson, MediaInfo? media)
    {
        if (bodyJson is null or "null") return "(deleted)";
        var text = BodyJson.TextOf(bodyJson);
        // An object body with no text of its own is shown as it is: the CLI must not hide what it cannot read.
        text ??= bodyJson.StartsWith('{') && !IsEmptyObject(bodyJson) ? bodyJson : null;
        if (kind == MessageKinds.Text && media is null) return text ?? bodyJson;
        var label = Media(kind, media);
        return string.IsNullOrEmpty(text) ? label : $"{label} {text}";
    }

    /// <summary><c>[image 1280×720]</c>, <c>[video 1920×1080 0:42]</c>, <c>[file 2.4 MB]</c>.</summary>
    public static string Media(string kind, MediaInfo? media)
    {
        var parts = new List<string> { kind };
        if (media is not null)
        {
            if (media.Width is { } w && media.Height is { } h) parts.Add(string.Create(CultureInfo.InvariantCulture, $"{w}×{h}"));
            if (media.DurationMs is { } ms) parts.Add(Duration(ms));
            if (kind == MessageKinds.File || (media.Width is null && media.DurationMs is null)) parts.Add(Size(media.Size));
        }
        return $"[{string.Join(' ', parts)}]";
    }

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };

    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Duration(long ms)
    {
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1
            ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}");
    }

    private static bool IsEmptyObject(string bodyJson) => bodyJson.AsSpan().Trim() is "{}";
}

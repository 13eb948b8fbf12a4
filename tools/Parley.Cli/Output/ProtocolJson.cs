using System.Text.Json;
using Parley.Protocol.Client;

namespace Parley.Cli.Output;

/// <summary>
/// The protocol's records as <c>--json</c> prints them: the protocol's own field names, a message body as its exact JSON
/// text (never re-encoded), plus <c>text</c> where a body has one.
/// </summary>
internal static class ProtocolJson
{
    public static void Message(Utf8JsonWriter w, HistoryMessage m) =>
        Message(w, null, m.Conv, m.N, m.Id, m.From, m.Cid, m.Kind, m.Body, m.Text, m.Media, m.Ts, m.ExpiresAt, m.ReplyTo, m.EditedAt, m.Reactions);

    public static void Message(Utf8JsonWriter w, MessageEvent m) =>
        Message(w, m.Seq, m.Conv, m.N, m.Id, m.From, m.Cid, m.Kind, m.Body, m.Text, m.Media, m.Ts, m.ExpiresAt, m.ReplyTo, m.EditedAt, []);

    private static void Message(
        Utf8JsonWriter w, long? seq, string conv, long n, string id, string from, string cid, string kind, string body, string? text,
        MediaInfo? media, long ts, long? expiresAt, long? replyTo, long? editedAt, IReadOnlyList<MessageReaction> reactions)
    {
        w.WriteStartObject();
        w.WriteString("type", "message");
        if (seq is { } s) w.WriteNumber("seq", s);
        w.WriteString("conv", conv);
        w.WriteNumber("n", n);
        w.WriteString("id", id);
        w.WriteString("from", from);
        w.WriteString("cid", cid);
        w.WriteString("kind", kind);
        w.WritePropertyName("body");
        w.WriteRawValue(body, skipInputValidation: true);
        if (text is not null) w.WriteString("text", text);
        if (media is not null)
        {
            w.WritePropertyName("media");
            Media(w, media);
        }
        w.WriteNumber("ts", ts);
        if (expiresAt is { } e) w.WriteNumber("expiresAt", e);
        if (replyTo is { } r) w.WriteNumber("replyTo", r);
        if (editedAt is { } at) w.WriteNumber("editedAt", at);
        if (reactions.Count > 0)
        {
            w.WriteStartArray("reactions");
            foreach (var reaction in reactions)
            {
                w.WriteStartObject();
                w.WriteString("by", reaction.By);
                w.WriteString("emoji", reaction.Emoji);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    public static void Media(Utf8JsonWriter w, MediaInfo m)
    {
        w.WriteStartObject();
        w.WriteString("id", m.Id);
        w.WriteString("mime", m.Mime);
        w.WriteNumber("size", m.Size);
        if (m.Width is { } width) w.WriteNumber("width", width);
        if (m.Height is { } height) w.WriteNumber("height", height);
        if (m.DurationMs is { } duration) w.WriteNumber("durationMs", duration);
        w.WriteBoolean("thumbnail", m.Thumbnail);
        w.WriteEndObject();
    }

    public static void SendResult(Utf8JsonWriter w, SendResult r)
    {
        w.WriteString("id", r.Id);
        w.WriteNumber("n", r.N);
        w.WriteString("conv", r.Conv);
        w.WriteNumber("seq", r.Seq);
        w.WriteNumber("ts", r.Ts);
        if (r.ExpiresAt is { } e) w.WriteNumber("expiresAt", e);
        w.WriteBoolean("duplicate", r.Duplicate);
        if (r.ReplyTo is { } replyTo) w.WriteNumber("replyTo", replyTo);
    }

    public static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    public static void Retention(Utf8JsonWriter w, long? retention)
    {
        if (retention is { } ttl) w.WriteNumber("retention", ttl);
        else w.WriteNull("retention");
    }

    /// <summary>An inbox event as <c>tail --json</c> prints it, one per line.</summary>
    public static void InboxEvent(Utf8JsonWriter w, ServerFrame frame)
    {
        switch (frame)
        {
            case MessageEvent m:
                Message(w, m);
                return;
            case ReceiptEvent r:
                w.WriteStartObject();
                Head(w, "receipt", r.Seq, r.Conv);
                w.WriteString("by", r.By);
                w.WriteString("status", r.Status);
                w.WriteNumber("upTo", r.UpTo);
                break;
            case GroupEvent g:
                w.WriteStartObject();
                Head(w, "group", g.Seq, g.Conv);
                w.WriteString("event", g.Event);
                w.WriteString("by", g.By);
                if (g.Members is not null) Strings(w, "members", g.Members);
                if (g.Name is not null) w.WriteString("name", g.Name);
                if (g.Member is not null) w.WriteString("member", g.Member);
                if (g.Admin is { } admin) w.WriteBoolean("admin", admin);
                if (g.Description is not null) w.WriteString("description", g.Description);
                break;
            case SettingsEvent s:
                w.WriteStartObject();
                Head(w, "settings", s.Seq, s.Conv);
                Retention(w, s.Retention);
                break;
            case FailedEvent f:
                w.WriteStartObject();
                Head(w, "failed", f.Seq, f.Conv);
                w.WriteString("cid", f.Cid);
                w.WriteString("id", f.Id);
                w.WriteString("to", f.To);
                w.WriteString("reason", f.Reason);
                break;
            case DeletedEvent d:
                w.WriteStartObject();
                Head(w, "deleted", d.Seq, d.Conv);
                w.WriteNumber("n", d.N);
                break;
            case ReactionEvent r:
                w.WriteStartObject();
                Head(w, "reaction", r.Seq, r.Conv);
                w.WriteNumber("n", r.N);
                w.WriteString("by", r.By);
                if (r.Emoji is null) w.WriteNull("emoji");
                else w.WriteString("emoji", r.Emoji);
                break;
            case EditedEvent e:
                w.WriteStartObject();
                Head(w, "edited", e.Seq, e.Conv);
                w.WriteNumber("n", e.N);
                w.WritePropertyName("body");
                w.WriteRawValue(e.Body, skipInputValidation: true);
                if (e.Text is { } text) w.WriteString("text", text);
                w.WriteNumber("editedAt", e.EditedAt);
                break;
            case UnknownFrame u:
                // As the server sent it: a newer event type this version cannot name.
                w.WriteRawValue(u.Utf8.Span, skipInputValidation: true);
                return;
            default:
                return;
        }
        w.WriteEndObject();
    }

    private static void Head(Utf8JsonWriter w, string type, long seq, string conv)
    {
        w.WriteString("type", type);
        w.WriteNumber("seq", seq);
        w.WriteString("conv", conv);
    }
}

using Parley.Protocol;

namespace Parley.Client;

/// <summary>A message to send, with every option of <c>send</c>.</summary>
/// <param name="ToOrConv">A username (a direct message) or a conversation id (<c>d:a:b</c>, <c>g:id</c>); usernames never contain a colon.</param>
/// <param name="BodyJson">The body's JSON text: one JSON string or object, sent byte for byte.</param>
public sealed record OutgoingMessage(string ToOrConv, string BodyJson)
{
    /// <summary>text, image, video or file (see <see cref="MessageKinds"/>).</summary>
    public string Kind { get; init; } = MessageKinds.Text;

    /// <summary>An uploaded media to attach (from <see cref="Http.ParleyHttpClient.UploadMediaAsync(string, Stream, string, CancellationToken)"/>), or null.</summary>
    public string? MediaId { get; init; }

    /// <summary>A time to live in seconds for this message, or null for the conversation's retention.</summary>
    public long? Ttl { get; init; }

    /// <summary>
    /// v1.1: the n of a message in the same conversation that this one replies to, or null. A target the sender cannot see
    /// (missing, deleted, expired, before the sender joined a group) makes the send fail with <c>not_found</c>, and nothing is stored.
    /// </summary>
    public long? ReplyTo { get; init; }

    /// <summary>The client id; null gives a new <see cref="Guid"/>. Give your own to dedupe across restarts of the application.</summary>
    public string? Cid { get; init; }
}

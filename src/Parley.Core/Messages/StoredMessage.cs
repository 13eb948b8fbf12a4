namespace Parley.Core.Messages;

/// <summary>A message as the store holds it.</summary>
/// <param name="Id">Globally unique id.</param>
/// <param name="Conv">Conversation id.</param>
/// <param name="N">Position in the conversation, gap-free from 1.</param>
/// <param name="Sender">The sender's username.</param>
/// <param name="Cid">The sender's client id (unique per sender).</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's JSON text exactly as sent.</param>
/// <param name="Ts">Accepted at (Unix ms).</param>
/// <param name="ExpiresAt">Expires at (Unix ms), or null.</param>
/// <param name="SenderSeq">The seq of this message in the sender's inbox.</param>
/// <param name="Media">The media the message carries, or null.</param>
/// <param name="ReplyTo">The n of the message it replies to (v1.1), or null.</param>
/// <param name="EditedAt">When its body was last edited (v1.1), or null.</param>
/// <param name="Reactions">History only (v1.1): its reactions in the order they were first made; null where not read.</param>
public sealed record StoredMessage(
    string Id, string Conv, long N, string Sender, string Cid, string Kind, byte[] Body, long Ts, long? ExpiresAt, long SenderSeq,
    Media.MediaInfo? Media = null, long? ReplyTo = null, IReadOnlyList<Reaction>? Reactions = null, long? EditedAt = null);

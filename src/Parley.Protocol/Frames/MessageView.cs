namespace Parley.Protocol.Frames;

/// <summary>A stored message as the protocol shows it, in <c>message</c> events and in <c>history</c>.</summary>
/// <param name="Id">The globally unique message id.</param>
/// <param name="N">The position in its conversation.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="From">The sender's username.</param>
/// <param name="Cid">The sender's client id for the message.</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's JSON text, byte for byte as sent.</param>
/// <param name="Ts">When the server accepted it (Unix ms).</param>
/// <param name="ExpiresAt">When it disappears (Unix ms), or null for permanent.</param>
/// <param name="Media">The media it carries, or null.</param>
/// <param name="ReplyTo">The n of the message it replies to (v1.1), or null.</param>
/// <param name="EditedAt">When its body was last edited (v1.1), or null.</param>
/// <param name="Reactions">History only (v1.1): the reactions, in the order they were first made; null or empty when none.</param>
public sealed record MessageView(
    string Id, long N, string Conv, string From, string Cid, string Kind, ReadOnlyMemory<byte> Body, long Ts, long? ExpiresAt,
    MediaView? Media = null, long? ReplyTo = null, IReadOnlyList<ReactionView>? Reactions = null, long? EditedAt = null);

/// <summary>One user's reaction to a message, as history shows it (v1.1).</summary>
/// <param name="By">Who reacted.</param>
/// <param name="Emoji">The reaction.</param>
public sealed record ReactionView(string By, string Emoji);

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

/// <summary>
/// A change to a conversation as history shows it with the messages (an addition, issue 20): the fields of its
/// <c>group</c> or <c>settings</c> event without <c>seq</c> and <c>conv</c>, with where it belongs in the timeline.
/// </summary>
/// <param name="AfterN">It happened after message <c>afterN</c> (0: before the first).</param>
/// <param name="Ts">When it happened (Unix ms).</param>
/// <param name="Type"><c>group</c> or <c>settings</c>.</param>
/// <param name="By">Who made the change.</param>
/// <param name="Fields">The event's own fields, a JSON object (<c>event</c>, <c>members</c>... or <c>retention</c>).</param>
public sealed record NoteView(long AfterN, long Ts, string Type, string By, string Fields);

namespace Parley.Core.Messages;

/// <summary>A message to append to a conversation and to its participants' inboxes.</summary>
/// <param name="Id">The id the message will have (chosen by the caller, globally unique).</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="Sender">The sender's username.</param>
/// <param name="Participants">
/// Everyone whose inbox gets the message, the sender included, without repeats; null for a group, whose
/// current members (read in the same transaction) get it.
/// </param>
/// <param name="Cid">The sender's client id.</param>
/// <param name="Kind">text, image, video or file.</param>
/// <param name="Body">The body's JSON text.</param>
/// <param name="Ts">Accepted at (Unix ms).</param>
/// <param name="TtlSeconds">The message's own time to live, or null; it can only shorten the conversation's retention.</param>
/// <param name="MediaId">The media the message carries, or null; the sender must be allowed to see it.</param>
/// <param name="ReplyTo">
/// The n of the message this one replies to (v1.1), or null; checked in the send's own transaction: a message of the same
/// conversation that the sender sees in its history, neither deleted nor expired.
/// </param>
public sealed record NewMessage(
    string Id, string Conv, string Sender, IReadOnlyList<string>? Participants, string Cid, string Kind, byte[] Body, long Ts, long? TtlSeconds,
    string? MediaId = null, long? ReplyTo = null);

namespace Parley.Protocol.Frames;

/// <summary>The fields of the <c>ok</c> reply to <c>send</c>: the single tick.</summary>
/// <param name="Id">The message id.</param>
/// <param name="N">Its position in the conversation.</param>
/// <param name="Conv">The conversation id.</param>
/// <param name="Seq">The seq of the message in the sender's own inbox.</param>
/// <param name="Ts">When the server accepted it.</param>
/// <param name="ExpiresAt">When it disappears, or null.</param>
/// <param name="Duplicate">True when the cid had been used before and nothing new was stored.</param>
/// <param name="ReplyTo">The n of the message it replies to (v1.1), or null.</param>
public readonly record struct SendResultView(string Id, long N, string Conv, long Seq, long Ts, long? ExpiresAt, bool Duplicate, long? ReplyTo = null);

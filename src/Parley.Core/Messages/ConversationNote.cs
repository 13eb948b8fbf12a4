using Parley.Core.Inbox;

namespace Parley.Core.Messages;

/// <summary>
/// A change to a conversation kept with its history so that a timeline reads the same after a reload: a group event
/// (created, added, removed, admin, left, renamed, described, joined) or a retention change, placed after message
/// <paramref name="AfterN"/> (the conversation's last n when it happened).
/// </summary>
/// <param name="Kind"><see cref="InboxEntryKind.Group"/> or <see cref="InboxEntryKind.Settings"/>.</param>
/// <param name="By">Who made the change.</param>
/// <param name="Fields">The event's own fields as a JSON object, as its inbox event carries them (for a retention change, <c>retention</c>).</param>
public sealed record ConversationNote(long AfterN, long Ts, InboxEntryKind Kind, string By, string Fields);

using Parley.Core.Inbox;

namespace Parley.Core.Messages;

/// <summary>
/// What one batch of the pending-age sweep did: how many undelivered inbox entries it dropped, and the
/// <c>failed</c> events it wrote into their senders' inboxes (to be published after the commit).
/// </summary>
public sealed record DeliveryFailures(int Dropped, IReadOnlyList<InboxWrite> Writes);

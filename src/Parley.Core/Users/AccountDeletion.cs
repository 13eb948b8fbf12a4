using Parley.Core.Inbox;

namespace Parley.Core.Users;

/// <summary>
/// What deleting an account did: the devices whose tokens were revoked (their sockets are to be closed) and the
/// events written (group departures, <c>failed</c> for the senders of what was still pending).
/// </summary>
public sealed record AccountDeletion(IReadOnlyList<string> Devices, IReadOnlyList<InboxWrite> Writes, IReadOnlyList<string> GroupsLeft);

namespace Parley.Core.Inbox;

/// <summary>What moving a user's delivered or read markers did.</summary>
/// <param name="Writes">Receipts written into direct-conversation senders' inboxes.</param>
/// <param name="Groups">Groups in which the user's markers moved: their aggregated receipts are due.</param>
public sealed record MarkerResult(IReadOnlyList<InboxWrite> Writes, IReadOnlyList<string> Groups)
{
    public static readonly MarkerResult None = new([], []);
}

namespace Parley.Core.Inbox;

/// <summary>Pushes inbox entries that were just committed to their users' live devices.</summary>
public interface IInboxPublisher
{
    void Publish(IReadOnlyList<InboxWrite> writes);
}

using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Gateway.Presence;

/// <summary>
/// Records whom each user writes to (direct messages), which is who may see the user's <c>contacts</c> last seen: a
/// contact is made only by the user's own action, never by a message, a group or a retention someone else starts.
/// Pairs recorded recently on this node are remembered (a bounded set), so that a chat costs one write, not one per message.
/// </summary>
internal sealed partial class ContactRecorder(IPresenceStore store, TimeProvider time, ILogger<ContactRecorder> logger)
{
    // Forgetting is harmless (the write is idempotent); the bound keeps the memory small.
    private const int MaxRemembered = 65_536;
    private readonly HashSet<(string User, string Contact)> _recorded = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Records that <paramref name="user"/> wrote to <paramref name="contact"/>; completes once it is stored. A failure is
    /// logged, not thrown: the message it follows is stored, and the next message records the contact again.
    /// </summary>
    public async Task RecordAsync(string user, string contact, CancellationToken cancellationToken)
    {
        if (user == contact) return;
        lock (_lock)
        {
            if (_recorded.Contains((user, contact))) return;
        }
        try
        {
            await store.RecordContactAsync(new Username(user), new Username(contact), time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            LogRecordFailed(logger, ex);
            return;
        }
        lock (_lock)
        {
            if (_recorded.Count >= MaxRemembered) _recorded.Clear();
            _recorded.Add((user, contact));
        }
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Recording a contact failed; the next direct message records it again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception);
}

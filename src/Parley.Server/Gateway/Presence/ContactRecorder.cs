using Parley.Core.Storage;
using Parley.Core.Users;

namespace Parley.Server.Gateway.Presence;

/// <summary>
/// Records whom each user writes to (direct messages), which is who may see the user's <c>contacts</c> last seen: a
/// contact is made only by the user's own action, never by a message, a group or a retention someone else starts.
/// Pairs recorded recently on this node are remembered (a bounded set), so that a chat costs one write, not one per
/// message; and a pair being recorded is written once, however many sends wait for it (a client's window of first
/// messages to someone all arrive before the first write commits).
/// </summary>
internal sealed partial class ContactRecorder(IPresenceStore store, TimeProvider time, ILogger<ContactRecorder> logger)
{
    // Forgetting is harmless (the write is idempotent); the bound keeps the memory small.
    private const int MaxRemembered = 65_536;
    private readonly HashSet<(string User, string Contact)> _recorded = [];
    private readonly Dictionary<(string User, string Contact), Task> _recording = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Records that <paramref name="user"/> wrote to <paramref name="contact"/>; completes once it is stored. A failure is
    /// logged, not thrown: the message it follows is stored, and the next message records the contact again.
    /// </summary>
    public Task RecordAsync(string user, string contact, CancellationToken cancellationToken)
    {
        if (user == contact) return Task.CompletedTask;
        var pair = (user, contact);
        TaskCompletionSource? mine = null;
        Task recording;
        lock (_lock)
        {
            if (_recorded.Contains(pair)) return Task.CompletedTask;
            if (!_recording.TryGetValue(pair, out recording!))
            {
                mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _recording.Add(pair, recording = mine.Task);
            }
        }
        if (mine is not null) _ = WriteAsync(pair, mine);
        // The write is shared: one waiter giving up does not cancel it for the others.
        return recording.WaitAsync(cancellationToken);
    }

    private async Task WriteAsync((string User, string Contact) pair, TaskCompletionSource done)
    {
        var stored = false;
        try
        {
            await store.RecordContactAsync(new Username(pair.User), new Username(pair.Contact), time.GetUtcNow().ToUnixTimeMilliseconds(), CancellationToken.None);
            stored = true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecordFailed(logger, pair.User, pair.Contact, ex);
        }
        lock (_lock)
        {
            _recording.Remove(pair);
            if (stored)
            {
                if (_recorded.Count >= MaxRemembered) _recorded.Clear();
                _recorded.Add(pair);
            }
        }
        done.SetResult();
    }

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Recording {Contact} as a contact of {User} failed; the next direct message records it again")]
    private static partial void LogRecordFailed(ILogger logger, string user, string contact, Exception exception);
}

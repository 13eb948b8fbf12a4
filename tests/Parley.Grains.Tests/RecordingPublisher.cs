using Parley.Core.Inbox;

namespace Parley.Grains.Tests;

/// <summary>The publisher the grains are given: keeps every batch and lets a test await the batches it expects.</summary>
public sealed class RecordingPublisher : IInboxPublisher
{
    private readonly List<IReadOnlyList<InboxWrite>> _batches = [];
    private readonly List<(Func<IReadOnlyList<IReadOnlyList<InboxWrite>>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    /// <summary>How many batches were published so far (empty ones included).</summary>
    public int Count
    {
        get
        {
            lock (_batches) return _batches.Count;
        }
    }

    public void Publish(IReadOnlyList<InboxWrite> writes)
    {
        lock (_batches)
        {
            _batches.Add(writes);
            foreach (var waiter in _waiters.Where(w => w.Condition(_batches)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    /// <summary>The batches so far that hold a write matching <paramref name="match"/>.</summary>
    public IReadOnlyList<IReadOnlyList<InboxWrite>> BatchesWith(Func<InboxWrite, bool> match)
    {
        lock (_batches) return _batches.Where(b => b.Any(match)).ToList();
    }

    /// <summary>Completes once <paramref name="condition"/> holds over all batches published so far.</summary>
    public Task WhenAsync(Func<IReadOnlyList<IReadOnlyList<InboxWrite>>, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_batches)
        {
            if (condition(_batches)) return Task.CompletedTask;
            _waiters.Add((condition, done));
        }
        return done.Task;
    }
}

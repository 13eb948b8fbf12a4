using Parley.Testing;

namespace Parley.Client.Tests.Support;

/// <summary>Everything of one kind a client raised, in order, with waits on a condition over the whole log.</summary>
internal sealed class EventLog<T>
{
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Condition(_items)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_items) return [.. _items];
    }

    /// <summary>Completes when <paramref name="condition"/> holds over everything logged so far.</summary>
    public Task WaitAsync(Func<IReadOnlyList<T>, bool> condition, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_items)
        {
            if (condition(_items)) return Task.CompletedTask;
            _waiters.Add((condition, done));
        }
        return done.Task.Within(timeout);
    }

    public Task WaitForAsync(Func<T, bool> match, TimeSpan? timeout = null) => WaitAsync(items => items.Any(match), timeout);
}

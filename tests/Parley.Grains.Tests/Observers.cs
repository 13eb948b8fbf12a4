using Parley.Core.Presence;
using Parley.Grains.Presence;
using Parley.Grains.Users;

namespace Parley.Grains.Tests;

/// <summary>
/// A node as the user grain sees it, written down: the events pushed to it, the routes it was told, the routes it was
/// told to forget, and the calls for its connections (device revocations, registration losses). Forgetting can be held back (<see cref="HoldForgetting"/>) to see who waits for it.
/// </summary>
public sealed class RecordingNode : INodeInbox
{
    private TaskCompletionSource? _forgetting;

    public Events<UserPushes> Pushes { get; } = new();

    public Events<(string User, long Version, int Epoch, string[] Nodes)> Routes { get; } = new();

    public Events<(string User, long Version)> Forgotten { get; } = new();

    public Events<(string Connection, string Device)> Revoked { get; } = new();

    public Events<string> RegistrationLost { get; } = new();

    /// <summary>From now on, a call to forget a route is recorded at once and answered when the returned source completes.</summary>
    public TaskCompletionSource HoldForgetting() => _forgetting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task OnInboxAsync(UserPushes[] pushes)
    {
        foreach (var push in pushes) Pushes.Add(push);
        return Task.CompletedTask;
    }

    public Task OnRouteAsync(string user, long version, int epoch, NodeRoute[] nodes)
    {
        Routes.Add((user, version, epoch, [.. nodes.Select(n => n.Node).Order()]));
        return Task.CompletedTask;
    }

    public Task OnRouteChangedAsync(string user, long version)
    {
        Forgotten.Add((user, version));
        return _forgetting?.Task ?? Task.CompletedTask;
    }

    public Task OnDeviceRevokedAsync(string[] connectionIds, string deviceId)
    {
        foreach (var id in connectionIds) Revoked.Add((id, deviceId));
        return Task.CompletedTask;
    }

    public Task OnTypingAsync(string[] connectionIds, byte[] frame) => Task.CompletedTask;

    public Task OnRegistrationLostAsync(string[] connectionIds)
    {
        foreach (var id in connectionIds) RegistrationLost.Add(id);
        return Task.CompletedTask;
    }

    public Task OnPrivacyChangedAsync(string[] connectionIds, LastSeenPrivacy privacy) => Task.CompletedTask;
}

/// <summary>A watcher of other users' presence, written down: every push, in order.</summary>
public sealed class RecordingWatcher : IPresenceObserver
{
    public Events<(string User, PresenceState State)> Pushes { get; } = new();

    public Task OnPresenceAsync(string user, PresenceState state)
    {
        Pushes.Add((user, state));
        return Task.CompletedTask;
    }
}

/// <summary>Events in arrival order, with bounded waits for the one a test expects.</summary>
public sealed class Events<T>
{
    private readonly List<T> _items = [];
    private readonly List<(Func<T, bool> Match, TaskCompletionSource<T> Found)> _waiters = [];

    public IReadOnlyList<T> All
    {
        get
        {
            lock (_items) return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.Where(w => w.Match(item)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Found.TrySetResult(item);
            }
        }
    }

    /// <summary>The first event so far, or to come, that matches.</summary>
    public Task<T> FirstAsync(Func<T, bool> match)
    {
        var found = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_items)
        {
            foreach (var item in _items)
            {
                if (match(item)) return Task.FromResult(item);
            }
            _waiters.Add((match, found));
        }
        return found.Task;
    }
}

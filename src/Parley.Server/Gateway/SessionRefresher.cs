using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Grains.Users;

namespace Parley.Server.Gateway;

/// <summary>
/// Keeps this node's connections registered with their users' grains: one grain call per user and
/// <c>RefreshInterval</c> carrying all of that user's connections on this node, instead of a timer and a call per
/// connection (100,000 idle connections were 1,700 grain calls a second, most of them to other nodes). Each user has
/// a slot in the interval (one slot per <c>RetryInterval</c> tick, chosen by the username's hash, which differs per
/// process), so the refreshes are spread over the interval rather than aligned. A failed refresh is retried for its
/// user with exponential backoff and jitter, capped at the interval; once one succeeds again the user's connections
/// catch up from the store, since pushes may have been missed meanwhile. Connections the grain does not know
/// (a new activation) attach again in full.
/// </summary>
internal sealed partial class SessionRefresher(IGrainFactory grains, IOptions<SessionRegistryOptions> options, ILogger<SessionRefresher> logger)
    : BackgroundService
{
    // Refresh calls in flight at once; users beyond it stay due and go at the next tick.
    private const int MaxConcurrentRefreshes = 64;

    private readonly SessionRegistryOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, UserConnections> _users = new(StringComparer.Ordinal);
    private long _tick;
    private int _inFlight;

    private int Slots => (int)Math.Max(1, _options.RefreshInterval / _options.RetryInterval);

    /// <summary>Users with at least one connection registered here.</summary>
    public int Users => _users.Count;

    /// <summary>Refreshes this connection from now on, with its user's others.</summary>
    public void Add(Connection connection)
    {
        while (true)
        {
            var entry = _users.GetOrAdd(connection.User.Value, static (user, self) => new UserConnections(self.FirstTick(user)), this);
            lock (entry)
            {
                if (entry.Removed) continue;
                entry.Connections.Add(connection);
                return;
            }
        }
    }

    public void Remove(Connection connection)
    {
        if (!_users.TryGetValue(connection.User.Value, out var entry)) return;
        lock (entry)
        {
            entry.Connections.Remove(connection);
            if (entry.Connections.Count > 0) return;
            entry.Removed = true;
        }
        _users.TryRemove(KeyValuePair.Create(connection.User.Value, entry));
    }

    /// <summary>A connection of <paramref name="user"/> could not attach: its user is refreshed at the next tick.</summary>
    public void RetrySoon(string user)
    {
        if (!_users.TryGetValue(user, out var entry)) return;
        lock (entry) entry.NextTick = Math.Min(entry.NextTick, Volatile.Read(ref _tick) + 1);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RetryInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var tick = Interlocked.Increment(ref _tick);
                foreach (var (user, entry) in _users)
                {
                    if (Volatile.Read(ref _inFlight) >= MaxConcurrentRefreshes) break;
                    if (TakeDue(entry, tick) is not { } connections) continue;
                    Interlocked.Increment(ref _inFlight);
                    _ = RefreshAsync(user, entry, connections, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The user's connections when its refresh is due and none is running; null otherwise.</summary>
    private static Connection[]? TakeDue(UserConnections entry, long tick)
    {
        lock (entry)
        {
            if (entry.Running || entry.NextTick > tick || entry.Connections.Count == 0) return null;
            entry.Running = true;
            return [.. entry.Connections];
        }
    }

    private async Task RefreshAsync(string user, UserConnections entry, Connection[] connections, CancellationToken stoppingToken)
    {
        var items = new SessionRefresh[connections.Length];
        for (var i = 0; i < connections.Length; i++)
        {
            items[i] = connections[i].RefreshItem;
            connections[i].WatchTokenExpiry();
        }
        string[]? unknown = null;
        try
        {
            unknown = await grains.GetGrain<IUserGrain>(user).RefreshAsync(items).WaitAsync(_options.AttachTimeout, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the connections are closing.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefreshFailed(logger, user, connections.Length, ex);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        bool recovered;
        lock (entry)
        {
            entry.Running = false;
            var tick = Volatile.Read(ref _tick);
            if (unknown is null)
            {
                entry.Failures++;
                entry.NextTick = tick + RetryDelay(entry.Failures);
                return;
            }
            recovered = entry.Failures > 0;
            entry.Failures = 0;
            // A retry asked for meanwhile (RetrySoon) stays; otherwise the user keeps its slot.
            if (entry.NextTick <= tick) entry.NextTick = tick + Slots;
        }
        if (unknown.Length > 0)
        {
            var reattach = new HashSet<string>(unknown, StringComparer.Ordinal);
            foreach (var connection in connections)
            {
                if (reattach.Contains(connection.Id)) connection.Reattach();
            }
        }
        if (recovered)
        {
            foreach (var connection in connections) connection.CatchUp();
        }
    }

    /// <summary>Ticks before retry <paramref name="failures"/>: doubling from one, capped at the interval, half of it random.</summary>
    private long RetryDelay(int failures)
    {
        var step = Math.Min(Slots, 1L << Math.Min(failures - 1, 20));
        var half = step / 2;
        return Math.Max(1, step - half + Random.Shared.NextInt64(half + 1));
    }

    /// <summary>A new user's first refresh: its slot in the interval (from the username's hash), within one interval from now.</summary>
    private long FirstTick(string user)
    {
        var slots = Slots;
        var slot = (long)((uint)StringComparer.Ordinal.GetHashCode(user) % (uint)slots);
        var now = Volatile.Read(ref _tick);
        var next = now - now % slots + slot;
        if (next <= now) next += slots;
        return next;
    }

    private sealed class UserConnections(long firstTick)
    {
        public List<Connection> Connections { get; } = [];
        public long NextTick { get; set; } = firstTick;
        public int Failures { get; set; }
        public bool Running { get; set; }
        public bool Removed { get; set; }
    }

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Refreshing the registrations of {User}'s {Count} connection(s) failed; retrying with backoff")]
    private static partial void LogRefreshFailed(ILogger logger, string user, int count, Exception exception);
}

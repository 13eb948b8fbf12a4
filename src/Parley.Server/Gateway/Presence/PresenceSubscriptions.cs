using System.Threading.Channels;
using Parley.Core.Load;
using Parley.Core.Presence;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway.Presence;

/// <summary>
/// The users one connection follows (<c>presence.subscribe</c>), seen through the privacy rule for this viewer.
/// Each followed user's grain calls back on a change; one loop owns the state, so snapshots, pushes, privacy
/// changes and refreshes are applied in order. A push goes out when what the viewer may see changes between
/// online and offline, or when a privacy change shows or hides something; last seen alone is never pushed.
/// </summary>
internal sealed partial class PresenceSubscriptions : IAsyncDisposable
{
    // Changes waiting for the loop beyond this are dropped and replaced by a refresh from the grains.
    private const int MaxPendingWork = 256;

    private readonly Channel<Work> _work = Channel.CreateBounded<Work>(new BoundedChannelOptions(MaxPendingWork)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Dictionary<string, Followed> _followed = new(StringComparer.Ordinal);
    private readonly string _viewer;
    private readonly string _watcherId;
    private readonly IGrainFactory _grains;
    private readonly IPresenceStore _store;
    private readonly IBlockStore _blocks;
    private readonly int _maxSubscriptions;
    private readonly Action<byte[]> _push;
    private readonly ILoadLevel _load;
    private readonly ILogger _logger;
    private readonly PresenceObserver _observer;
    private readonly IPresenceObserver _reference;
    private readonly ITimer _refresh;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private LastSeenPrivacy? _viewerPrivacy;
    private int _missed;

    public PresenceSubscriptions(string viewer, string watcherId, IGrainFactory grains, IPresenceStore store, IBlockStore blocks, int maxSubscriptions,
        TimeSpan refreshInterval, TimeProvider time, Action<byte[]> push, ILoadLevel load, ILogger logger)
    {
        _load = load;
        _viewer = viewer;
        _watcherId = watcherId;
        _grains = grains;
        _store = store;
        _blocks = blocks;
        _maxSubscriptions = maxSubscriptions;
        _push = push;
        _logger = logger;
        // Orleans holds observers weakly: this object keeps the observer alive as long as the subscriptions live.
        _observer = new PresenceObserver(this);
        _reference = grains.CreateObjectReference<IPresenceObserver>(_observer);
        _refresh = time.CreateTimer(static s => ((PresenceSubscriptions)s!).Post(Work.Refresh), this, refreshInterval, refreshInterval);
        _loop = RunAsync(_stop.Token);
    }

    /// <summary>
    /// Follows <paramref name="users"/> too (subscriptions add up for the connection) and returns a fresh snapshot
    /// of each, in order; null when the connection would follow more than the limit (nothing is added then).
    /// </summary>
    public async Task<IReadOnlyList<PresenceView>?> SubscribeAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var work = new Work(WorkKind.Subscribe, null, null, users, new TaskCompletionSource<IReadOnlyList<PresenceView>?>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _work.Writer.WriteAsync(work, cancellationToken);
        return await work.Reply!.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A followed user's grain says their presence changed.</summary>
    public void OnChanged(string user, PresenceState state) => Post(new Work(WorkKind.Changed, user, state, null, null));

    /// <summary>The viewer changed their own privacy setting, which decides what they see of others' last seen.</summary>
    public void OnViewerPrivacyChanged() => Post(Work.ViewerPrivacy);

    private void Post(Work work)
    {
        if (!_work.Writer.TryWrite(work)) Volatile.Write(ref _missed, 1);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    switch (work.Kind)
                    {
                        case WorkKind.Subscribe:
                            work.Reply!.TrySetResult(await SubscribeNowAsync(work.Users!, cancellationToken));
                            break;
                        case WorkKind.Changed:
                            if (_followed.TryGetValue(work.User!, out var followed)) await ApplyAsync(work.User!, followed, work.State!, cancellationToken);
                            break;
                        case WorkKind.ViewerPrivacy:
                            _viewerPrivacy = await _grains.GetGrain<IUserGrain>(_viewer).GetPrivacyAsync();
                            await RefreshAsync(cancellationToken);
                            break;
                        case WorkKind.Refresh:
                            await RefreshAsync(cancellationToken);
                            break;
                    }
                    if (Interlocked.Exchange(ref _missed, 0) == 1) await RefreshAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A grain or the store could not answer: the next refresh repairs what was missed.
                    work.Reply?.TrySetException(ex);
                    if (work.Reply is null) LogPresenceFailed(_logger, _viewer, _watcherId, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task<IReadOnlyList<PresenceView>?> SubscribeNowAsync(IReadOnlyList<string> users, CancellationToken cancellationToken)
    {
        var added = users.Count(u => !_followed.ContainsKey(u));
        if (_followed.Count + added > _maxSubscriptions) return null;
        _viewerPrivacy ??= await _grains.GetGrain<IUserGrain>(_viewer).GetPrivacyAsync();
        var states = await Task.WhenAll(users.Select(u => _grains.GetGrain<IUserGrain>(u).WatchAsync(_watcherId, _reference)));
        var views = new PresenceView[users.Count];
        for (var i = 0; i < users.Count; i++)
        {
            var (view, visibility) = await SeeAsync(users[i], states[i], cancellationToken);
            // The snapshot is what the viewer now knows: later pushes are measured against it.
            _followed[users[i]] = new Followed { Shown = view, Visibility = visibility };
            views[i] = view;
        }
        return views;
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_followed.Count == 0) return;
        var users = _followed.Keys.ToArray();
        // Re-watching renews the registrations (a new activation of a grain learns the watcher again) and
        // brings any change that was missed meanwhile.
        var states = await Task.WhenAll(users.Select(u => _grains.GetGrain<IUserGrain>(u).WatchAsync(_watcherId, _reference)));
        for (var i = 0; i < users.Length; i++) await ApplyAsync(users[i], _followed[users[i]], states[i], cancellationToken);
    }

    private async Task ApplyAsync(string user, Followed followed, PresenceState state, CancellationToken cancellationToken)
    {
        var (view, visibility) = await SeeAsync(user, state, cancellationToken);
        if (view.Online == followed.Shown.Online && visibility == followed.Visibility) return;
        if (_load.Current >= LoadLevel.Busy)
        {
            // Shed: what the viewer was shown stays as it was, so the next change or refresh at a lower level pushes the state then current.
            _load.CountShed(ShedKinds.Presence);
            return;
        }
        followed.Shown = view;
        followed.Visibility = visibility;
        _push(ServerFrameWriter.PresenceEvent(view));
    }

    private async Task<(PresenceView View, PresenceVisibility Visibility)> SeeAsync(string user, PresenceState state, CancellationToken cancellationToken)
    {
        // A user who blocks the viewer is shown offline, never seen (v1.1), like a hidden presence. Asked of the store, so
        // a block made on any node counts; only when there is something to hide.
        if (user != _viewer && (state.Online || state.LastSeen is not null)
            && await _blocks.IsBlockedAsync(new Username(user), new Username(_viewer), cancellationToken))
        {
            return (new PresenceView(user, false, null), PresenceVisibility.None);
        }
        // A contact of the user is someone the user has written to: only the user's own action makes one.
        var isContact = PresenceVisibility.NeedsContact(state.Privacy) && user != _viewer
            && await _store.IsContactAsync(new Username(user), new Username(_viewer), cancellationToken);
        var visibility = PresenceVisibility.For(_viewer, _viewerPrivacy ?? LastSeenPrivacy.Everyone, user, state.Privacy, isContact);
        return (new PresenceView(user, visibility.Online && state.Online, visibility.LastSeen ? state.LastSeen : null), visibility);
    }

    public async ValueTask DisposeAsync()
    {
        await _refresh.DisposeAsync();
        _work.Writer.TryComplete();
        await _stop.CancelAsync();
        await _loop;
        foreach (var user in _followed.Keys) _grains.GetGrain<IUserGrain>(user).UnwatchAsync(_watcherId).Ignore();
        _grains.DeleteObjectReference<IPresenceObserver>(_reference);
        _stop.Dispose();
    }

    private enum WorkKind
    {
        Subscribe,
        Changed,
        ViewerPrivacy,
        Refresh,
    }

    private sealed record Work(WorkKind Kind, string? User, PresenceState? State, IReadOnlyList<string>? Users,
        TaskCompletionSource<IReadOnlyList<PresenceView>?>? Reply)
    {
        public static readonly Work Refresh = new(WorkKind.Refresh, null, null, null, null);
        public static readonly Work ViewerPrivacy = new(WorkKind.ViewerPrivacy, null, null, null, null);
    }

    private sealed class Followed
    {
        public PresenceView Shown { get; set; }
        public PresenceVisibility Visibility { get; set; }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Following presence for {User} (connection {ConnectionId}) failed; the next refresh repairs it")]
    private static partial void LogPresenceFailed(ILogger logger, string user, string connectionId, Exception exception);
}

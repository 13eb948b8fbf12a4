using Parley.Core.Load;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;

namespace Parley.Server.Gateway.Presence;

/// <summary>
/// One connection's typing: relays <c>composing</c> and <c>paused</c> to the other members' grains (which pass
/// them to the members' connections that count toward online), and sends <c>paused</c> itself when a
/// <c>composing</c> is not followed up within the timeout or the connection closes. Nothing is stored.
/// </summary>
internal sealed class TypingRelay : IAsyncDisposable
{
    // A client that claims to type in more conversations than this at once gets no further relays until some pause.
    private const int MaxComposing = 64;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Composing> _composing = new(StringComparer.Ordinal);
    private readonly string _user;
    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ITimer _timer;
    private readonly ILoadLevel _load;

    public TypingRelay(string user, IGrainFactory grains, TimeProvider time, TimeSpan timeout, ILoadLevel load)
    {
        _load = load;
        _user = user;
        _grains = grains;
        _time = time;
        _timeout = timeout;
        _timer = time.CreateTimer(static s => ((TypingRelay)s!).Expire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// A <c>composing</c> in a conversation the user is already typing in: the expiry moves. False when the user
    /// was not typing there: then <see cref="Start"/> it, with the members.
    /// </summary>
    public bool TryExtend(string conv)
    {
        var now = _time.GetUtcNow();
        IReadOnlyList<string>? relayTo = null;
        lock (_lock)
        {
            if (!_composing.TryGetValue(conv, out var composing)) return false;
            composing.ExpiresAt = now + _timeout;
            // A repeated composing is relayed again now and then, so a member who missed the first (it may be
            // dropped under load) catches up while the user keeps typing.
            if (now - composing.RelayedAt >= _timeout / 2)
            {
                composing.RelayedAt = now;
                relayTo = composing.Recipients;
            }
            Rearm(now);
        }
        if (relayTo is not null) Relay(conv, TypingStates.Composing, relayTo);
        return true;
    }

    /// <summary>The user starts typing in <paramref name="conv"/>; <paramref name="recipients"/> are kept for the <c>paused</c> that follows.</summary>
    public void Start(string conv, IReadOnlyList<string> recipients)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_composing.Count >= MaxComposing && !_composing.ContainsKey(conv)) return;
            _composing[conv] = new Composing(recipients, now + _timeout, now);
            Rearm(now);
        }
        Relay(conv, TypingStates.Composing, recipients);
    }

    /// <summary>The user stopped typing in <paramref name="conv"/>; nothing to say when they were not typing there.</summary>
    public void Pause(string conv)
    {
        Composing? stopped;
        lock (_lock)
        {
            if (!_composing.Remove(conv, out stopped)) return;
            Rearm(_time.GetUtcNow());
        }
        Relay(conv, TypingStates.Paused, stopped.Recipients);
    }

    private void Expire()
    {
        List<(string Conv, Composing Composing)>? expired = null;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            foreach (var (conv, composing) in _composing)
            {
                if (composing.ExpiresAt <= now) (expired ??= []).Add((conv, composing));
            }
            if (expired is not null)
            {
                foreach (var (conv, _) in expired) _composing.Remove(conv);
            }
            Rearm(now);
        }
        if (expired is null) return;
        foreach (var (conv, composing) in expired) Relay(conv, TypingStates.Paused, composing.Recipients);
    }

    /// <summary>Arms the timer for the earliest expiry. Called under the lock.</summary>
    private void Rearm(DateTimeOffset now)
    {
        if (_composing.Count == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var next = _composing.Values.Min(c => c.ExpiresAt);
        var due = next - now;
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Relay(string conv, string state, IReadOnlyList<string> recipients)
    {
        if (recipients.Count == 0) return;
        // From load level 1 typing is shed where it starts: no frame, no grain calls. The state above is kept, so a
        // composing that goes on is relayed again once the level falls (TryExtend relays every half timeout).
        if (_load.Current >= LoadLevel.Busy)
        {
            _load.CountShed(ShedKinds.Typing);
            return;
        }
        var frame = ServerFrameWriter.TypingEvent(conv, _user, state);
        foreach (var recipient in recipients) _grains.GetGrain<IUserGrain>(recipient).RelayTypingAsync(frame).Ignore();
    }

    /// <summary>A closing connection stops typing everywhere: the members are told <c>paused</c>.</summary>
    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        KeyValuePair<string, Composing>[] left;
        lock (_lock)
        {
            left = _composing.ToArray();
            _composing.Clear();
        }
        foreach (var (conv, composing) in left) Relay(conv, TypingStates.Paused, composing.Recipients);
    }

    private sealed class Composing(IReadOnlyList<string> recipients, DateTimeOffset expiresAt, DateTimeOffset relayedAt)
    {
        public IReadOnlyList<string> Recipients { get; } = recipients;
        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;
        public DateTimeOffset RelayedAt { get; set; } = relayedAt;
    }
}

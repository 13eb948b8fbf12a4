using System.Net.WebSockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Core.Load;
using Parley.Core.Storage;
using Parley.Core.Users;
using Parley.Grains.Presence;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;
using Parley.Server.Gateway.Presence;
using Parley.Server.Media;
using Parley.Server.Observability;

namespace Parley.Server.Gateway;

/// <summary>
/// One client socket after its welcome (the <see cref="ConnectionHandshake"/> came before): the reader loop that
/// parses frames and dispatches requests, and the wiring of its writer (<see cref="OutboundQueue"/>), its inbox
/// delivery and its registration with the user's grain.
/// </summary>
internal sealed partial class Connection : IDisposable
{
    // Frame "types" of the frames counted in parley_frames_received_total that are not requests.
    private const string BinaryFrame = "binary";
    private const string MalformedFrame = "malformed";

    private readonly WebSocket _socket;
    private readonly FrameReader _frames;
    // Of the hello only its resume point is used after the welcome: the request (with the token) is not kept.
    private readonly long? _helloAfter;
    private readonly DeviceSession _device;
    private readonly IMessageStore _store;
    private readonly IPresenceStore _presenceStore;
    private readonly IBlockStore _blocks;
    private readonly IGrainFactory _grains;
    private readonly LocalInboxes _inboxes;
    private readonly LiveConnections _live;
    private readonly RequestDispatcher _dispatcher;
    private readonly GatewayOptions _gateway;
    private readonly LimitsOptions _limits;
    private readonly GroupsOptions _groups;
    private readonly long _editWindowSeconds;
    private readonly MediaOptions _media;
    private readonly SessionRegistryOptions _sessions;
    private readonly PresenceOptions _presenceOptions;
    private readonly ParleyMetrics _metrics;
    private readonly ILoadLevel _load;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();
    private readonly OutboundQueue _outbound;
    private readonly AckForwarder _acks;
    private readonly InboxDelivery _delivery;
    private readonly IUserGrain _userGrain;
    private readonly ConnectionPresence _presence;
    private readonly SessionRefresher _refresher;
    private PresenceSubscriptions? _subscriptions;
    private TypingRelay? _typing;
    private long _lastHeard;
    private SemaphoreSlim? _inFlight;
    private ITimer? _tokenExpiry;

    public Connection(
        WebSocket socket,
        FrameReader frames,
        Handshake handshake,
        IMessageStore store,
        IPresenceStore presenceStore,
        IBlockStore blocks,
        IGrainFactory grains,
        InboxPublisher publisher,
        LocalInboxes inboxes,
        LiveConnections live,
        SessionRefresher refresher,
        RequestDispatcher dispatcher,
        IOptions<GatewayOptions> gateway,
        IOptions<LimitsOptions> limits,
        IOptions<GroupsOptions> groups,
        IOptions<MessagesOptions> messages,
        IOptions<MediaOptions> media,
        IOptions<DeliveryOptions> delivery,
        IOptions<SessionRegistryOptions> sessions,
        IOptions<PresenceOptions> presence,
        ParleyMetrics metrics,
        ILoadLevel load,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        ILogger<Connection> logger)
    {
        (_socket, _frames, _helloAfter, _device) = (socket, frames, handshake.Hello.After, handshake.Device);
        (_store, _presenceStore, _grains, _inboxes, _live, _refresher, _dispatcher) = (store, presenceStore, grains, inboxes, live, refresher, dispatcher);
        _blocks = blocks;
        // Whole seconds, rounded down (the option is a TimeSpan; only a test sets one under a second).
        _editWindowSeconds = (long)messages.Value.EditWindow.TotalSeconds;
        (_gateway, _limits, _groups, _media, _sessions, _presenceOptions) = (gateway.Value, limits.Value, groups.Value, media.Value, sessions.Value, presence.Value);
        (_metrics, _load, _time, _logger) = (metrics, load, time, logger);
        Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        User = new Username(_device.Username);

        // One lock for the connection's writer, delivery, acks and presence: each guards a few fields for a few
        // instructions and never waits under it, so sharing costs nothing measurable and saves 40 B per part.
        var sync = new Lock();
        _outbound = new OutboundQueue(socket, _gateway.SendQueueCapacity, _gateway.SignalQueueCapacity, _gateway.SendStallTimeout, metrics, _gateway.MaxQueuedBytes, sync);
        // An ack is retried until it is stored; only the host stopping ends that.
        _acks = new AckForwarder(store, publisher, User, DeviceId, load, time, logger, lifetime.ApplicationStopping, delivery.Value.LazyAckDelay, sync);
        _delivery = new InboxDelivery(User, store, _outbound, _acks, delivery.Value, time, Close, metrics, logger, Id, DeviceId, sync);
        _userGrain = grains.GetGrain<IUserGrain>(User.Value);
        _presence = new ConnectionPresence(_userGrain, handshake.Hello.Background, _presenceOptions.TouchInterval, time, sync);
    }

    public string Id { get; }

    public Username User { get; }

    /// <summary>Frames waiting in this connection's writer.</summary>
    public int OutboundBacklog => _outbound.Backlog;

    /// <summary>Bytes of the frames waiting in this connection's writer.</summary>
    public long OutboundBytes => _outbound.QueuedBytes;

    public string DeviceId => _device.DeviceId;

    /// <summary>What this connection says about its user's presence.</summary>
    public ConnectionPresence Presence => _presence;

    /// <summary>The users this connection follows; created by the first <c>presence.subscribe</c>. Used from the reader only.</summary>
    public PresenceSubscriptions Subscriptions => _subscriptions ??= new PresenceSubscriptions(User.Value, Id, _grains, _presenceStore, _blocks,
        _presenceOptions.MaxSubscriptions, _sessions.RefreshInterval, _time, Signal, _load, _logger);

    /// <summary>This connection's typing; created by the first <c>typing</c>. Used from the reader only.</summary>
    public TypingRelay Typing => _typing ??= new TypingRelay(User.Value, _grains, _time, _presenceOptions.TypingTimeout, _load);

    /// <summary>
    /// Requests of this socket between being read and having their reply queued. The reader takes a slot
    /// before handling any frame and waits when none is free; with the reply lane's reserve this means a
    /// reply always finds room. Created by the first request: an idle socket has none.
    /// </summary>
    public SemaphoreSlim InFlight => _inFlight ??= new SemaphoreSlim(_gateway.MaxInFlightRequests);

    /// <summary>Runs the connection from its welcome to its end; <paramref name="welcomed"/> is called just before the welcome is queued.</summary>
    public async Task RunAsync(CancellationToken hostStopping, Action? welcomed = null)
    {
        // No log scope for the connection's life: the scope, its state and the ExecutionContext it flows stayed alive
        // with the idle read (~0.25 KB per connection). What a connection logs names it, its user and its device instead.
        _outbound.Start(_gateway.CloseTimeout, _aborted.Token);
        _lastHeard = Now();
        var silent = false;
        try
        {
            // Inside the try: whatever happens from here, the finally takes this connection out of the live set again.
            _live.Add(this);
            var head = await _store.GetInboxHeadAsync(User, _aborted.Token);
            var after = Math.Min(_helloAfter ?? _device.AckedSeq, head);
            // The start is queued before attaching, so pushes that arrive once attached wait behind it, and its
            // catch-up (which runs after the attach) sees everything committed before. Attaching before the
            // welcome means a logout the client can observe after its welcome reaches this socket.
            _delivery.Start(after);
            _inboxes.Add(User.Value, _delivery);
            var attached = await TryAttachAsync();
            // Before the welcome is queued: a client that has its welcome finds this socket no longer counted as pending.
            welcomed?.Invoke();
            // The parameter lives in this method's state machine for the socket's life: the delegate is not kept.
            welcomed = null;
            Reply(ServerFrameWriter.Welcome(User.Value, DeviceId, head, _time.GetUtcNow().ToUnixTimeMilliseconds(),
                _limits.MaxFrameBytes, _limits.MaxBodyBytes, _groups.MaxMembers, _groups.MaxDescriptionChars, _editWindowSeconds, _media.TypeLimits));
            _delivery.Run();
            if (after > _device.AckedSeq) _acks.Submit(after);
            // The node refreshes the registration from now on, with the user's other connections here (no timer per socket).
            _refresher.Add(this);
            if (!attached) _refresher.RetrySoon(User.Value);
            WatchTokenExpiry();
            if (hostStopping.IsCancellationRequested) Close(CloseCodes.GoingAway, "server shutting down");

            await ReadLoopAsync();
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The peer went away or the socket was aborted: an ordinary end of a connection. A cancellation this
            // connection did not ask for is the WebSocket's keep-alive giving up: the peer fell silent.
            silent = ex is OperationCanceledException && !_aborted.IsCancellationRequested;
        }
        finally
        {
            var lastPresentAt = LastPresentAt(silent);
            _live.Remove(this);
            _refresher.Remove(this);
            if (_tokenExpiry is not null) await _tokenExpiry.DisposeAsync();
            Close(CloseCodes.GoingAway, "closing");
            _inboxes.Remove(User.Value, _delivery);
            await _delivery.DisposeAsync();
            await FinishCloseAsync();
            if (_typing is not null) await _typing.DisposeAsync();
            try
            {
                await _userGrain.DetachAsync(Id, lastPresentAt);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The registration expires by itself; a detach that fails (shutdown, a moving grain) is harmless.
                LogDetachFailed(_logger, Id, User.Value, DeviceId, ex);
            }
            // After the detach: the user goes offline without waiting for a follow-up that may be stuck on a grain call.
            if (_subscriptions is not null) await _subscriptions.DisposeAsync();
            _inFlight?.Dispose();
        }
    }

    public void Dispose()
    {
        // _aborted is not disposed: another thread may call Close at any moment (a newer socket displacing this one, a
        // revoked device), also just as this connection ends, and CancelAfter on a disposed source throws. Nothing is
        // left to free: FinishCloseAsync cancelled it, which also stopped any CancelAfter timer.
        _outbound.Dispose();
    }

    /// <summary>Queues a frame for the client; a full queue closes the socket with 4409.</summary>
    public void Reply(byte[] frame)
    {
        if (!_outbound.TryReply(frame) && _outbound.CloseCode is null)
        {
            Close(CloseCodes.NotAcknowledged, "send queue full; resume later");
        }
    }

    /// <summary>Closes the socket with <paramref name="code"/> after the frames already being written.</summary>
    public void Close(int code, string reason)
    {
        if (!_outbound.Close(code, reason)) return;
        _metrics.ConnectionClosedWith(code);
        if (code >= 4000 || code is CloseCodes.Policy or CloseCodes.FrameTooLarge) LogClosing(_logger, code, reason, Id, User.Value, DeviceId);
        // The reader's idle read waits without a token (see ReadLoopAsync): from now on, cancelling aborts the socket,
        // which ends that read as its token would have. Only the first close gets here, and every cancel comes after it.
        _aborted.Token.UnsafeRegister(static s => ((WebSocket)s!).Abort(), _socket);
        // The reader keeps reading until the client answers the close; a client that never does is cut off.
        _aborted.CancelAfter(_gateway.CloseTimeout);
    }

    /// <summary>Queues a presence or typing frame in the droppable lane: under load it is shed, never waited for.</summary>
    public void Signal(byte[] frame) => _outbound.TrySignal(frame);

    /// <summary>A typing frame relayed by a member's connection; from load level 1 this node does not write it.</summary>
    public void SignalTyping(byte[] frame)
    {
        if (_load.Current >= LoadLevel.Busy) _load.CountShed(ShedKinds.Typing);
        else Signal(frame);
    }

    /// <summary>
    /// Registers with the user's grain again with the current presence mode (after <c>presence.set</c>, or
    /// periodically); catches up from the store when the grain did not know this connection.
    /// </summary>
    public async Task AttachAsync(CancellationToken cancellationToken)
    {
        var known = await _userGrain.AttachAsync(Id, DeviceId, _inboxes.Route, _presence.Mode)
            .WaitAsync(_sessions.AttachTimeout, cancellationToken);
        if (!known) _delivery.CatchUp();
    }

    /// <summary>This connection in its node's periodic refresh of its user's registrations.</summary>
    public SessionRefresh RefreshItem => new(Id, _presence.Mode);

    /// <summary>Reads anything new from the store (the registration was not refreshed for a while: pushes may have been missed).</summary>
    public void CatchUp() => _delivery.CatchUp();

    public void OnViewerPrivacyChanged() => _subscriptions?.OnViewerPrivacyChanged();

    public void OnDeviceRevoked(string deviceId)
    {
        if (DeviceId == deviceId) Close(CloseCodes.Unauthorized, "logged out");
    }

    /// <summary>Handles an <c>ack</c> frame: cumulative, idempotent.</summary>
    public void OnAck(long seq) => _delivery.OnAcked(seq);

    /// <summary>
    /// Registers again with the user's grain now (its node may have died, or the grain deactivated), catching up if it
    /// was forgotten. A connection already closing does not (on a node shutting down, its grains tell it so).
    /// </summary>
    public void Reattach()
    {
        if (_outbound.CloseCode is null) _ = RefreshAttachmentAsync();
    }

    private async Task ReadLoopAsync()
    {
        var malformed = 0;
        while (_outbound.CloseCode is null)
        {
            // No token for the wait: it lasts the socket's whole idle life, and with one the WebSocket and the pipe each
            // keep a registration on it (160 B per connection). Close registers an abort instead, which ends the wait.
            var status = await _frames.ReadAsync(await _frames.WaitAsync(CancellationToken.None), _aborted.Token);
            Volatile.Write(ref _lastHeard, Now());
            if (_outbound.CloseCode is not null) return;
            switch (status)
            {
                case FrameReadStatus.Closed:
                    Close((int)WebSocketCloseStatus.NormalClosure, "");
                    return;
                case FrameReadStatus.TooLarge:
                    Close(CloseCodes.FrameTooLarge, $"frames are limited to {_limits.MaxFrameBytes} bytes");
                    return;
            }

            await InFlight.WaitAsync(_aborted.Token);
            if (!await _outbound.WaitForReplyRoomAsync(_gateway.MaxInFlightRequests, _aborted.Token))
            {
                InFlight.Release();
                Close(CloseCodes.NotAcknowledged, "replies are not being read; resume later");
                return;
            }
            ClientRequest? request = null;
            if (status == FrameReadStatus.Binary)
            {
                _metrics.FrameReceived(BinaryFrame);
                Reply(ServerFrameWriter.Error(null, ErrorCodes.BadRequest, "frames must be JSON text frames"));
            }
            else if (!ClientFrameParser.TryParse(_frames.Frame, out request, out var error))
            {
                _metrics.FrameReceived(MalformedFrame);
                Reply(ServerFrameWriter.Error(error.Rid, error.Code, error.Message));
            }
            else
            {
                _metrics.FrameReceived(request.Type);
            }
            if (request is null)
            {
                InFlight.Release();
                if (++malformed >= _gateway.MaxMalformedFrames) Close(CloseCodes.Policy, "too many malformed frames");
                continue;
            }
            malformed = 0;
            if (!await _dispatcher.DispatchAsync(this, request, _aborted.Token)) InFlight.Release();
        }
    }

    /// <summary>Lets the writer send the close frame, then reads until the client's close (bounded), then aborts.</summary>
    private async Task FinishCloseAsync()
    {
        try
        {
            await _outbound.Completion.WaitAsync(_aborted.Token);
            while (_socket.State == WebSocketState.CloseSent && await _frames.ReadAsync(_aborted.Token) != FrameReadStatus.Closed)
            {
                // Frames that arrive after the close are read and dropped until the client's close comes.
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The client broke the socket, or did not answer the close within CloseTimeout: it is cut off just below.
        }
        await _aborted.CancelAsync();
    }

    private async Task<bool> TryAttachAsync()
    {
        try
        {
            await _userGrain.AttachAsync(Id, DeviceId, _inboxes.Route, _presence.Mode).WaitAsync(_sessions.AttachTimeout, _aborted.Token);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // The grain is unreachable for now (its node may have just died): deliver from the store meanwhile.
            LogRefreshFailed(_logger, Id, User.Value, DeviceId, ex);
            return false;
        }
    }

    /// <summary>
    /// Closes the socket with 4401 when its token expires, if that comes before two of the node's refreshes of this
    /// connection (called at the welcome and at each refresh): a token lives for months, so almost no socket holds a
    /// timer for it.
    /// </summary>
    public void WatchTokenExpiry()
    {
        var left = TimeSpan.FromMilliseconds(Math.Max(0, _device.ExpiresAt - Now()));
        if (left > 2 * _sessions.RefreshInterval || Volatile.Read(ref _tokenExpiry) is not null) return;
        var timer = _time.CreateTimer(static s => ((Connection)s!).Close(CloseCodes.Unauthorized, "the token expired"), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _tokenExpiry, timer, null) is null) timer.Change(left, Timeout.InfiniteTimeSpan);
        else timer.Dispose();
    }

    private async Task RefreshAttachmentAsync()
    {
        try
        {
            await AttachAsync(_aborted.Token);
        }
        catch (OperationCanceledException)
        {
            // The connection is closing (or the runtime cancelled the call as it stops): there is nothing to refresh.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRefreshFailed(_logger, Id, User.Value, DeviceId, ex);
            // Until the attach succeeds, pushes miss this socket: its user is refreshed soon rather than at the next
            // interval (the grain then names this connection as unknown if it still lacks it).
            _refresher.RetrySoon(User.Value);
            _delivery.CatchUp();
        }
    }

    /// <summary>
    /// When the user was last known to be here. A socket that went silent was noticed only after the idle
    /// timeout: its peer was last heard from then, not now.
    /// </summary>
    private long LastPresentAt(bool silent)
    {
        var now = Now();
        return silent ? Math.Max(Volatile.Read(ref _lastHeard), now - (long)_gateway.IdleTimeout.TotalMilliseconds) : now;
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Closing the connection with {Code}: {Reason} (connection {ConnectionId} of {User} on {Device})")]
    private static partial void LogClosing(ILogger logger, int code, string reason, string connectionId, string user, string device);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Detaching the closed connection {ConnectionId} of {User} on {Device} failed")]
    private static partial void LogDetachFailed(ILogger logger, string connectionId, string user, string device, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Attaching the connection {ConnectionId} of {User} on {Device} to its user's grain failed; retrying soon")]
    private static partial void LogRefreshFailed(ILogger logger, string connectionId, string user, string device, Exception exception);
}

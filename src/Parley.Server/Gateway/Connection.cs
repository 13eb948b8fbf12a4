using System.Net.WebSockets;
using System.Security.Cryptography;
using Parley.Core.Load;
using Parley.Core.Users;
using Parley.Grains.Users;
using Parley.Protocol;
using Parley.Protocol.Frames;
using Parley.Protocol.Requests;
using Parley.Server.Delivery;
using Parley.Server.Gateway.Presence;

namespace Parley.Server.Gateway;

/// <summary>
/// One client socket: the hello handshake, the reader loop that parses frames and dispatches requests,
/// and the wiring of its writer (<see cref="OutboundQueue"/>) and its inbox delivery.
/// </summary>
internal sealed partial class Connection : IDisposable
{
    // Frame "types" of the frames counted in parley_frames_received_total that are not requests.
    private const string BinaryFrame = "binary";
    private const string MalformedFrame = "malformed";

    private readonly WebSocket _socket;
    private readonly GatewayServices _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _aborted = new();
    private OutboundQueue? _outbound;
    private InboxDelivery? _delivery;
    private AckForwarder? _acks;
    private DeviceSession? _session;
    private InboxObserver? _observer;
    private IInboxObserver? _observerReference;
    private ITimer? _refresh;
    private ConnectionPresence? _presence;
    private PresenceSubscriptions? _subscriptions;
    private TypingRelay? _typing;
    private long _lastHeard;
    private SemaphoreSlim? _inFlight;

    public Connection(WebSocket socket, GatewayServices services)
    {
        _socket = socket;
        _services = services;
        _logger = services.ConnectionLogger;
        Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    }

    public string Id { get; }

    public string User => _session!.Username;

    /// <summary>Frames waiting in this connection's writer (0 before the welcome).</summary>
    public int OutboundBacklog => _outbound?.Backlog ?? 0;

    public string DeviceId => _session!.DeviceId;

    public GatewayServices Services => _services;

    /// <summary>What this connection says about its user's presence.</summary>
    public ConnectionPresence Presence => _presence!;

    /// <summary>The users this connection follows; created by the first <c>presence.subscribe</c>. Used from the reader only.</summary>
    public PresenceSubscriptions Subscriptions => _subscriptions ??= new PresenceSubscriptions(User, Id, _services.Grains, _services.PresenceStore,
        _services.Presence.MaxSubscriptions, _services.Sessions.RefreshInterval, _services.Time, Signal, _services.Load, _logger);

    /// <summary>This connection's typing; created by the first <c>typing</c>. Used from the reader only.</summary>
    public TypingRelay Typing => _typing ??= new TypingRelay(User, _services.Grains, _services.Time, _services.Presence.TypingTimeout, _services.Load);

    /// <summary>
    /// Requests of this socket between being read and having their reply queued. The reader takes a slot
    /// before handling any frame and waits when none is free; with the reply lane's reserve this means a
    /// reply always finds room. Created by the first request: an idle socket has none.
    /// </summary>
    public SemaphoreSlim InFlight => _inFlight ??= new SemaphoreSlim(_services.Gateway.MaxInFlightRequests);

    public async Task RunAsync(CancellationToken hostStopping)
    {
        using var frames = new FrameReader(_socket, _services.Limits.MaxFrameBytes);
        var hello = await ReceiveHelloAsync(frames);
        if (hello is null) return;

        _session = await _services.Authenticator.AuthenticateAsync(hello.Token, _aborted.Token);
        if (_session is null)
        {
            await CloseBeforeWelcomeAsync(frames, CloseCodes.Unauthorized, "invalid or revoked token");
            return;
        }

        // A message template rather than a dictionary: structured (ConnectionId, User, Device) for JSON logs, readable in the console's.
        using var scope = _logger.BeginScope("Connection {ConnectionId} of {User} on {Device}", Id, User, DeviceId);
        _outbound = new OutboundQueue(_socket, _services.Gateway.SendQueueCapacity, _services.Gateway.SignalQueueCapacity, _services.Gateway.SendStallTimeout,
            _services.Metrics);
        _outbound.Start(_services.Gateway.CloseTimeout, _aborted.Token);
        _acks = new AckForwarder(_services.Store, _services.Publisher, User, DeviceId, _services.Load, _services.Time, _logger);
        _delivery = new InboxDelivery(User, _services.Store, _outbound, _acks, _services.Delivery, _services.Time, Close, _services.Metrics, _logger);
        _observer = new InboxObserver(this);
        _observerReference = _services.Grains.CreateObjectReference<IInboxObserver>(_observer);
        var userGrain = _services.Grains.GetGrain<IUserGrain>(User);
        _presence = new ConnectionPresence(userGrain, hello.Background, _services.Presence.TouchInterval, _services.Time);
        _lastHeard = Now();
        var silent = false;
        _services.Live.Add(this);
        try
        {
            var head = await _services.Store.GetInboxHeadAsync(User, _aborted.Token);
            var after = Math.Min(hello.After ?? _session.AckedSeq, head);
            // The start is queued before attaching, so pushes that arrive once attached wait behind it, and its
            // catch-up (which runs after the attach) sees everything committed before. Attaching before the
            // welcome means a logout the client can observe after its welcome reaches this socket.
            _delivery.Start(after);
            _services.Inboxes.Add(User, _delivery);
            var attached = await TryAttachAsync(userGrain);
            var limits = _services.Limits;
            Reply(ServerFrameWriter.Welcome(User, DeviceId, head, _services.Time.GetUtcNow().ToUnixTimeMilliseconds(),
                limits.MaxFrameBytes, limits.MaxBodyBytes, _services.Groups.MaxMembers, _services.MediaLimits));
            _delivery.Run();
            if (after > _session.AckedSeq) _acks.Submit(after);
            _refresh = _services.Time.CreateTimer(static s => ((Connection)s!).RefreshAttachment(), this,
                attached ? _services.Sessions.RefreshInterval : _services.Sessions.RetryInterval, _services.Sessions.RefreshInterval);
            if (hostStopping.IsCancellationRequested) Close(CloseCodes.GoingAway, "server shutting down");

            await ReadLoopAsync(frames);
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
            _services.Live.Remove(this);
            if (_refresh is not null) await _refresh.DisposeAsync();
            Close(CloseCodes.GoingAway, "closing");
            _services.Inboxes.Remove(User, _delivery);
            await _delivery.DisposeAsync();
            await FinishCloseAsync(frames);
            if (_typing is not null) await _typing.DisposeAsync();
            try
            {
                await userGrain.DetachAsync(Id, lastPresentAt);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The registration expires by itself; a detach that fails (shutdown, a moving grain) is harmless.
                LogDetachFailed(_logger, ex);
            }
            // After the detach: the user goes offline without waiting for a follow-up that may be stuck on a grain call.
            if (_subscriptions is not null) await _subscriptions.DisposeAsync();
            _services.Grains.DeleteObjectReference<IInboxObserver>(_observerReference);
            _inFlight?.Dispose();
        }
    }

    public void Dispose()
    {
        _aborted.Dispose();
        _outbound?.Dispose();
    }

    /// <summary>Queues a frame for the client; a full queue closes the socket with 4409.</summary>
    public void Reply(byte[] frame)
    {
        if (_outbound is null) return;
        if (!_outbound.TryReply(frame) && _outbound.CloseCode is null)
        {
            Close(CloseCodes.NotAcknowledged, "reply queue full; resume later");
        }
    }

    /// <summary>Closes the socket with <paramref name="code"/> after the frames already being written.</summary>
    public void Close(int code, string reason)
    {
        if (_outbound is null)
        {
            _aborted.Cancel();
            return;
        }
        if (!_outbound.Close(code, reason)) return;
        _services.Metrics.ConnectionClosedWith(code);
        if (code >= 4000 || code is CloseCodes.Policy or CloseCodes.FrameTooLarge) LogClosing(_logger, code, reason);
        // The reader keeps reading until the client answers the close; a client that never does is cut off.
        _aborted.CancelAfter(_services.Gateway.CloseTimeout);
    }

    /// <summary>Queues a presence or typing frame in the droppable lane: under load it is shed, never waited for.</summary>
    public void Signal(byte[] frame) => _outbound?.TrySignal(frame);

    /// <summary>A typing frame relayed by a member's connection; from load level 1 this node does not write it.</summary>
    public void SignalTyping(byte[] frame)
    {
        if (_services.Load.Current >= LoadLevel.Busy) _services.Load.CountShed(ShedKinds.Typing);
        else Signal(frame);
    }

    /// <summary>
    /// Registers with the user's grain again with the current presence mode (after <c>presence.set</c>, or
    /// periodically); catches up from the store when the grain did not know this connection.
    /// </summary>
    public async Task AttachAsync(CancellationToken cancellationToken)
    {
        var known = await _services.Grains.GetGrain<IUserGrain>(User).AttachAsync(Id, DeviceId, _services.Inboxes.Node, _observerReference!, _presence!.Mode)
            .WaitAsync(_services.Sessions.AttachTimeout, cancellationToken);
        if (!known) _delivery?.CatchUp();
    }

    public void OnInboxPushed(InboxPush[] events) => _delivery?.OnPushed(events);

    public void OnViewerPrivacyChanged() => _subscriptions?.OnViewerPrivacyChanged();

    public void OnDeviceRevoked(string deviceId)
    {
        if (_session?.DeviceId == deviceId) Close(CloseCodes.Unauthorized, "logged out");
    }

    private async Task ReadLoopAsync(FrameReader frames)
    {
        var malformed = 0;
        while (_outbound!.CloseCode is null)
        {
            var status = await frames.ReadAsync(_aborted.Token);
            Volatile.Write(ref _lastHeard, Now());
            if (_outbound.CloseCode is not null) return;
            switch (status)
            {
                case FrameReadStatus.Closed:
                    Close((int)WebSocketCloseStatus.NormalClosure, "");
                    return;
                case FrameReadStatus.TooLarge:
                    Close(CloseCodes.FrameTooLarge, $"frames are limited to {_services.Limits.MaxFrameBytes} bytes");
                    return;
            }

            await InFlight.WaitAsync(_aborted.Token);
            if (!await _outbound.WaitForReplyRoomAsync(_services.Gateway.MaxInFlightRequests, _aborted.Token))
            {
                InFlight.Release();
                Close(CloseCodes.NotAcknowledged, "replies are not being read; resume later");
                return;
            }
            ClientRequest? request = null;
            if (status == FrameReadStatus.Binary)
            {
                _services.Metrics.FrameReceived(BinaryFrame);
                Reply(ServerFrameWriter.Error(null, ErrorCodes.BadRequest, "frames must be JSON text frames"));
            }
            else if (!ClientFrameParser.TryParse(frames.Frame, out request, out var error))
            {
                _services.Metrics.FrameReceived(MalformedFrame);
                Reply(ServerFrameWriter.Error(error.Rid, error.Code, error.Message));
            }
            else
            {
                _services.Metrics.FrameReceived(request.Type);
            }
            if (request is null)
            {
                InFlight.Release();
                if (++malformed >= _services.Gateway.MaxMalformedFrames) Close(CloseCodes.Policy, "too many malformed frames");
                continue;
            }
            malformed = 0;
            if (!await _services.Dispatcher.DispatchAsync(this, request, _aborted.Token)) InFlight.Release();
        }
    }

    /// <summary>Handles an <c>ack</c> frame: cumulative, idempotent.</summary>
    public void OnAck(long seq) => _delivery?.OnAcked(seq);

    private async Task<HelloRequest?> ReceiveHelloAsync(FrameReader frames)
    {
        var read = frames.ReadAsync(_aborted.Token).AsTask();
        FrameReadStatus status;
        try
        {
            // WaitAsync drops its timer once the hello is in: a connected socket keeps no timer for the hello timeout.
            status = await read.WaitAsync(_services.Gateway.HelloTimeout, _services.Time);
        }
        catch (TimeoutException)
        {
            await CloseBeforeWelcomeAsync(frames, CloseCodes.HelloTimeout, "no hello in time", read);
            return null;
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            return null;
        }
        switch (status)
        {
            case FrameReadStatus.Closed:
                return null;
            case FrameReadStatus.TooLarge:
                await CloseBeforeWelcomeAsync(frames, CloseCodes.FrameTooLarge, "frame too large");
                return null;
        }
        if (status == FrameReadStatus.Text && ClientFrameParser.TryParse(frames.Frame, out var request, out _) && request is HelloRequest hello)
        {
            _services.Metrics.FrameReceived(hello.Type);
            return hello;
        }
        await CloseBeforeWelcomeAsync(frames, CloseCodes.Unauthorized, "the first frame must be a valid hello");
        return null;
    }

    /// <summary>Before the writer runs, the handshake closes the socket itself and waits briefly for the client's close.</summary>
    private async Task CloseBeforeWelcomeAsync(FrameReader frames, int code, string reason, Task<FrameReadStatus>? pendingRead = null)
    {
        using var timeout = new CancellationTokenSource(_services.Gateway.CloseTimeout);
        try
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
            var read = pendingRead ?? frames.ReadAsync(timeout.Token).AsTask();
            await read.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            await _aborted.CancelAsync();
        }
    }

    /// <summary>Lets the writer send the close frame, then reads until the client's close (bounded), then aborts.</summary>
    private async Task FinishCloseAsync(FrameReader frames)
    {
        try
        {
            await _outbound!.Completion.WaitAsync(_aborted.Token);
            while (_socket.State == WebSocketState.CloseSent && await frames.ReadAsync(_aborted.Token) != FrameReadStatus.Closed)
            {
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        await _aborted.CancelAsync();
    }

    private async Task<bool> TryAttachAsync(IUserGrain userGrain)
    {
        try
        {
            await userGrain.AttachAsync(Id, DeviceId, _services.Inboxes.Node, _observerReference!, _presence!.Mode).WaitAsync(_services.Sessions.AttachTimeout, _aborted.Token);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            // The grain is unreachable for now (its node may have just died): deliver from the store meanwhile.
            LogRefreshFailed(_logger, ex);
            return false;
        }
    }

    private void RefreshAttachment()
    {
        _ = RefreshAttachmentAsync();
    }

    /// <summary>Registers again with the user's grain now (its node may have died), catching up if it was forgotten.</summary>
    public void Reattach()
    {
        if (_observerReference is not null) _ = RefreshAttachmentAsync();
    }

    private async Task RefreshAttachmentAsync()
    {
        try
        {
            await AttachAsync(_aborted.Token);
        }
        catch (OperationCanceledException) when (_aborted.IsCancellationRequested)
        {
            // The connection is closing.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not OperationCanceledException)
        {
            LogRefreshFailed(_logger, ex);
            // Until the attach succeeds, pushes miss this socket: retry soon rather than at the next interval.
            _refresh?.Change(_services.Sessions.RetryInterval, _services.Sessions.RefreshInterval);
            _delivery?.CatchUp();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// When the user was last known to be here. A socket that went silent was noticed only after the idle
    /// timeout: its peer was last heard from then, not now.
    /// </summary>
    private long LastPresentAt(bool silent)
    {
        var now = Now();
        return silent ? Math.Max(Volatile.Read(ref _lastHeard), now - (long)_services.Gateway.IdleTimeout.TotalMilliseconds) : now;
    }

    private long Now() => _services.Time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Closing the connection with {Code}: {Reason}")]
    private static partial void LogClosing(ILogger logger, int code, string reason);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Detaching a closed connection failed")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Refreshing a connection's registration failed; retrying at the next interval")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}

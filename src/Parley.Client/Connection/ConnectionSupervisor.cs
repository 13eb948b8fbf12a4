using Parley.Client.Inbox;
using Parley.Client.Outbox;
using Parley.Client.Transport;
using Parley.Protocol;
using Parley.Protocol.Client;

namespace Parley.Client.Connection;

/// <summary>
/// Keeps one connection alive for the client's lifetime: connect, <c>hello</c> with the processed mark,
/// <c>welcome</c>, run, and after a drop reconnect with exponential backoff and jitter (and not before the Retry-After of a
/// server that refused the upgrade with 503 or 429). The first attempt is not
/// retried: until a session was established, a failure ends the start (as SignalR's <c>StartAsync</c> does) and the
/// application may start again. It stops for good on close code 4401 (the token is no longer valid) and when the client
/// is disposed.
/// </summary>
internal sealed class ConnectionSupervisor : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    private readonly Func<Uri> _serverUri;
    private readonly string _token;
    private readonly bool _background;
    private readonly TimeSpan _minDelay, _maxDelay, _requestTimeout, _connectTimeout;
    private readonly TimeProvider _time;
    private readonly Func<IWebSocketTransport> _transports;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _stopEvents = new();
    private TaskCompletionSource _firstOnline = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _setupFrames = [];
    private ConnectionState _state = ConnectionState.Disconnected;
    private volatile Session? _session;
    private volatile WelcomeFrame? _welcome;
    private volatile bool _stopping;
    private Task? _loop;
    private Task? _dispatch;
    private long _sessions;
    private Uri? _lastServer;

    public ConnectionSupervisor(
        ParleyClientOptions options, Func<IWebSocketTransport> transports, Func<object, CancellationToken, ValueTask> deliver)
    {
        var fixedUri = options.ServerUri;
        _serverUri = options.ServerUriProvider ?? (() => fixedUri!);
        _token = options.Token;
        _background = options.Background;
        _minDelay = options.ReconnectMinDelay;
        _maxDelay = options.ReconnectMaxDelay;
        _requestTimeout = options.RequestTimeout;
        _connectTimeout = options.ConnectTimeout;
        _time = options.TimeProvider;
        _transports = transports;
        Cursor = new InboxCursor(options.After);
        Requests = new RequestTable(_time);
        Events = new EventDispatcher(Cursor, options.AckMode, deliver, RequestAck);
    }

    public InboxCursor Cursor { get; }

    public RequestTable Requests { get; }

    public EventDispatcher Events { get; }

    public WelcomeFrame? Welcome => _welcome;

    public ConnectionState State
    {
        get { lock (_gate) return _state; }
    }

    /// <summary>
    /// Starts the connection loop and waits until the first <c>welcome</c>. When the first attempt failed, the loop has
    /// ended in <see cref="ConnectionState.Disconnected"/> and a new call starts it again.
    /// </summary>
    public Task WaitOnlineAsync(CancellationToken cancellationToken)
    {
        Task firstOnline;
        lock (_gate)
        {
            if (_state == ConnectionState.Disconnected && !_stopping && (_loop is null || _firstOnline.Task.IsFaulted))
            {
                if (_firstOnline.Task.IsCompleted) _firstOnline = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _dispatch ??= Events.RunAsync(_stopEvents.Token);
                _loop = RunAsync(_stop.Token);
            }
            firstOnline = _firstOnline.Task;
        }
        return firstOnline.WaitAsync(cancellationToken);
    }

    /// <summary>Asks the live connection, if any, to acknowledge the processed mark.</summary>
    public void RequestAck() => _session?.RequestAck();

    /// <summary>Remembers a frame to send at the start of every connection (and sends it now when online); null forgets it.</summary>
    public void SetSetupFrame(string key, byte[]? frame)
    {
        lock (_gate)
        {
            if (frame is null) _setupFrames.Remove(key);
            else _setupFrames[key] = frame;
        }
    }

    /// <summary>Closes the connection politely (last ack, close handshake), stops reconnecting and stops the events.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            _stopping = true;
            loop = _loop;
        }
        if (loop is not null)
        {
            if (_session is { } session) session.BeginClose();
            else await _stop.CancelAsync();
            try
            {
                await loop.WaitAsync(StopTimeout, _time);
            }
            catch (TimeoutException)
            {
                await _stop.CancelAsync();
                await loop;
            }
        }
        // Fail what still waits before waiting for the handlers: a handler may be awaiting one of these requests.
        Requests.Close(() => new ObjectDisposedException(nameof(ParleyClient)));
        lock (_gate) _firstOnline.TrySetException(new ObjectDisposedException(nameof(ParleyClient)));
        SetState(ConnectionState.Closed, null, null);
        await _stopEvents.CancelAsync();
        _stop.Dispose();
        // Disposed from inside a handler: the dispatcher is this very call's caller and ends when it returns.
        if (EventDispatcher.IsDispatching) return;
        if (_dispatch is not null) await _dispatch;
        _stopEvents.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var attempt = 0;
        var established = false;
        SetState(ConnectionState.Connecting, null, null);
        while (!_stopping)
        {
            var (end, welcomed) = await ConnectAndRunAsync(stop);
            if (end.CloseStatus == CloseCodes.Unauthorized)
            {
                Unauthorized(end);
                return;
            }
            if (_stopping) return;
            established |= welcomed;
            if (!established)
            {
                // Nothing was ever reached: report it to ConnectAsync at once rather than retry behind its back.
                FirstAttemptFailed(end);
                return;
            }
            SetState(ConnectionState.Reconnecting, end.CloseStatus, end.Reason);
            // A connection that was welcomed resets the backoff; each failed attempt after it doubles the delay.
            if (welcomed) attempt = 0;
            var delay = Backoff.Delay(attempt++, _minDelay, _maxDelay, Random.Shared.NextDouble());
            // A server that refused the upgrade said when to come back: not before then (with jitter), whatever the backoff says.
            if (end.Error is UpgradeRefusedException { RetryAfter: { } retryAfter })
            {
                var refused = Backoff.AfterRefusal(retryAfter, Random.Shared.NextDouble());
                if (refused > delay) delay = refused;
            }
            try
            {
                await Task.Delay(delay, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<(SessionEnd End, bool Welcomed)> ConnectAndRunAsync(CancellationToken stop)
    {
        var transport = _transports();
        try
        {
            WelcomeFrame? welcome;
            long? after;
            using (var timeout = new CancellationTokenSource(_connectTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token))
            {
                var server = _serverUri();
                _lastServer = server;
                await transport.ConnectAsync(ServerUris.WebSocket(server), linked.Token);
                after = Cursor.ResumeAfter;
                await transport.SendAsync(ClientFrameWriter.Hello(_token, after, _background), linked.Token);
                (welcome, var closed) = await ReceiveWelcomeAsync(transport, linked.Token);
                if (welcome is null) return (closed, false);
            }

            var session = new Session(Interlocked.Increment(ref _sessions), transport, Requests, Events, Cursor, _time, _requestTimeout, after ?? 0);
            lock (_gate)
            {
                if (_stopping) return (new SessionEnd(null, "stopping"), false);
                _welcome = welcome;
                foreach (var frame in _setupFrames.Values) session.Enqueue(frame);
                _session = session;
            }
            Requests.Attach(session);
            session.RequestAck();
            SetState(ConnectionState.Online, null, null);
            lock (_gate) _firstOnline.TrySetResult();
            try
            {
                return (await session.RunAsync(stop), true);
            }
            finally
            {
                _session = null;
                Requests.Detach(session);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Any failure to reach or keep the server (refused, reset, timeout, garbage) is a reason to try again later.
            var timedOut = e is OperationCanceledException && !stop.IsCancellationRequested;
            var why = timedOut ? $"no welcome within {_connectTimeout.TotalSeconds:0.###} s" : e is UpgradeRefusedException ? e.Message : Innermost(e).Message;
            return (new SessionEnd(null, why, timedOut ? null : e), false);
        }
        finally
        {
            transport.Abort();
            await transport.DisposeAsync();
        }
    }

    private static async Task<(WelcomeFrame?, SessionEnd)> ReceiveWelcomeAsync(IWebSocketTransport transport, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await transport.ReceiveAsync(cancellationToken);
            if (message.Frame is null) return (null, new SessionEnd(message.CloseStatus, message.CloseDescription));
            // Anything before welcome (an error about the hello) is followed by the close that says what happened.
            if (ServerFrameReader.Read(message.Frame) is WelcomeFrame welcome) return (welcome, default);
        }
    }

    private void FirstAttemptFailed(SessionEnd end)
    {
        var why = end.Reason is { Length: > 0 } reason ? reason : "the connection ended before the server's welcome";
        if (end.CloseStatus is { } status) why = $"closed with {status}" + (end.Reason is { Length: > 0 } r ? $" ({r})" : "");
        // A refusal is the server's answer, not an unreachable server: its code and Retry-After tell the application when to try again.
        var error = end.Error is UpgradeRefusedException refused
            ? new ParleyException(refused.Code, $"the Parley server at {_lastServer} is busy: {refused.Message}",
                refused.RetryAfter is { } after ? (long)Math.Ceiling(after.TotalMilliseconds) : null, refused.Status)
            : new ParleyException(ClientErrorCodes.Unreachable, $"cannot reach the Parley server at {_lastServer}: {why}", end.Error);
        TaskCompletionSource firstOnline;
        lock (_gate) firstOnline = _firstOnline;
        SetState(ConnectionState.Disconnected, end.CloseStatus, end.Reason);
        firstOnline.TrySetException(error);
    }

    private void Unauthorized(SessionEnd end)
    {
        SetState(ConnectionState.Unauthorized, end.CloseStatus, end.Reason);
        var message = "the server refused the token" + (end.Reason is { Length: > 0 } r ? ": " + r : "");
        Requests.Close(() => new ParleyException(ErrorCodes.Unauthorized, message));
        lock (_gate) _firstOnline.TrySetException(new ParleyException(ErrorCodes.Unauthorized, message));
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }

    private void SetState(ConnectionState state, int? closeStatus, string? reason)
    {
        ConnectionStateChange change;
        lock (_gate)
        {
            if (_state == state || _state is ConnectionState.Closed) return;
            change = new ConnectionStateChange(state, _state, closeStatus, reason);
            _state = state;
        }
        Events.Post(change);
    }
}

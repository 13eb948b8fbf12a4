using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Conformance.Tests.Harness;

/// <summary>
/// A WebSocket client that speaks the protocol by hand. It keeps every frame it receives (with its
/// exact text) and lets tests wait for the next frame that matches a condition.
/// </summary>
public sealed class RawClient : IAsyncDisposable
{
    private static long s_nextRid;
    private readonly ClientWebSocket _socket = new();
    private readonly Lock _gate = new();
    private readonly List<Frame> _received = [];
    private readonly List<bool> _taken = [];
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<int> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private long _acked;

    private RawClient()
    {
    }

    /// <summary>When set, every inbox event is acked as soon as it arrives (for sockets a test only uses to send).</summary>
    public bool AutoAck { get; set; }

    /// <summary>The welcome frame, once <see cref="HelloAsync"/> got one.</summary>
    public Frame? Welcome { get; private set; }

    /// <summary>Every frame received so far, in arrival order.</summary>
    public IReadOnlyList<Frame> Received
    {
        get { lock (_gate) return [.. _received]; }
    }

    /// <summary>Whether the server closed the socket (or the connection broke).</summary>
    public bool IsClosed => _closed.Task.IsCompleted;

    public static async Task<RawClient> ConnectAsync(Uri uri)
    {
        var client = new RawClient();
        using var timeout = new CancellationTokenSource(Wait.Frame);
        await client._socket.ConnectAsync(uri, timeout.Token);
        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Sends <c>hello</c> and waits for <c>welcome</c>; fails if the socket is closed instead.</summary>
    public async Task<Frame> HelloAsync(string? token, long? after = null, bool background = false)
    {
        var hello = new JsonObject { ["type"] = "hello" };
        if (token is not null) hello["token"] = token;
        if (after is not null) hello["after"] = after.Value;
        hello["background"] = background;
        await SendAsync(hello);
        Welcome = await NextAsync(f => f.Type == "welcome");
        return Welcome;
    }

    public Task SendAsync(JsonObject frame) => SendRawAsync(frame.ToJsonString());

    public async Task SendRawAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendLock.WaitAsync(Wait.Frame);
        try
        {
            using var timeout = new CancellationTokenSource(Wait.Frame);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>A fresh request id.</summary>
    public static string NewRid() => "r" + Interlocked.Increment(ref s_nextRid).ToString(CultureInfo.InvariantCulture);

    /// <summary>Sends a request (adding a <c>rid</c> unless it has one) and waits for its reply, ok or error.</summary>
    public async Task<Frame> RequestAsync(JsonObject request)
    {
        if (!request.ContainsKey("rid")) request["rid"] = NewRid();
        var rid = (string)request["rid"]!;
        await SendAsync(request);
        return await ReplyAsync(rid);
    }

    /// <summary>Sends a request and asserts that the reply is <c>ok</c>.</summary>
    public async Task<Frame> OkAsync(JsonObject request)
    {
        var reply = await RequestAsync(request);
        Assert.True(reply.IsOk, $"expected ok for {request.ToJsonString()}, got {reply.Raw}");
        return reply;
    }

    /// <summary>Waits for the reply (ok or error) carrying this rid.</summary>
    public Task<Frame> ReplyAsync(string rid, TimeSpan? timeout = null) =>
        NextAsync(f => (f.IsOk || f.IsError) && f.Rid == rid, timeout);

    /// <summary>
    /// Sends a message with the body given as raw JSON text, written into the frame unchanged.
    /// Addresses a username (<paramref name="to"/>) or a conversation (<paramref name="conv"/>).
    /// </summary>
    public async Task<Frame> SendMessageAsync(string? to = null, string body = "\"hi\"", string? cid = null, string? conv = null, string? rid = null)
    {
        rid ??= NewRid();
        await SendRawAsync(SendFrame(rid, cid ?? NewCid(), to, conv, body));
        return await ReplyAsync(rid);
    }

    /// <summary>Like <see cref="SendMessageAsync"/> but asserts the reply is <c>ok</c>.</summary>
    public async Task<Frame> SendOkAsync(string? to = null, string body = "\"hi\"", string? cid = null, string? conv = null)
    {
        var reply = await SendMessageAsync(to, body, cid, conv);
        Assert.True(reply.IsOk, $"expected ok for a send, got {reply.Raw}");
        return reply;
    }

    public static string SendFrame(string rid, string cid, string? to, string? conv, string body)
    {
        var address = to is not null ? $"\"to\":{RawJson.Quote(to)}" : $"\"conv\":{RawJson.Quote(conv!)}";
        return $"{{\"type\":\"send\",\"rid\":{RawJson.Quote(rid)},\"cid\":{RawJson.Quote(cid)},{address},\"body\":{body}}}";
    }

    public static string NewCid() => Guid.NewGuid().ToString("N");

    public Task AckAsync(long seq) => SendAsync(new JsonObject { ["type"] = "ack", ["seq"] = seq });

    /// <summary>A ping round trip: every frame the server sent before its reply has arrived.</summary>
    public async Task<Frame> PingAsync()
    {
        var reply = await OkAsync(new JsonObject { ["type"] = "ping" });
        return reply;
    }

    /// <summary>Waits for the next not yet taken frame that matches, and takes it.</summary>
    public async Task<Frame> NextAsync(Func<Frame, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Wait.Frame);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                for (var i = 0; i < _received.Count; i++)
                {
                    if (_taken[i] || !match(_received[i])) continue;
                    _taken[i] = true;
                    return _received[i];
                }
                changed = _changed.Task;
            }
            if (_closed.Task.IsCompleted)
            {
                throw new InvalidOperationException(
                    $"the socket was closed ({await _closed.Task}) before the expected frame arrived; received:\n{Dump()}");
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no matching frame within {timeout ?? Wait.Frame}; received:\n{Dump()}");
            }
            try
            {
                await Task.WhenAny(changed, _closed.Task).WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Look once more, then fail with the dump above.
            }
        }
    }

    /// <summary>Waits for the next inbox event of this type that matches.</summary>
    public Task<Frame> NextEventAsync(string type, Func<Frame, bool>? match = null, TimeSpan? timeout = null) =>
        NextAsync(f => f.Type == type && f.Seq is not null && (match is null || match(f)), timeout);

    /// <summary>Frames received but not taken by <see cref="NextAsync"/> that match.</summary>
    public IReadOnlyList<Frame> Untaken(Func<Frame, bool> match)
    {
        lock (_gate)
        {
            var list = new List<Frame>();
            for (var i = 0; i < _received.Count; i++)
            {
                if (!_taken[i] && match(_received[i])) list.Add(_received[i]);
            }
            return list;
        }
    }

    /// <summary>Waits until the server closes the socket and returns its close status (-1 when the connection broke without one).</summary>
    public async Task<int> ClosedAsync(TimeSpan? timeout = null)
    {
        try
        {
            return await _closed.Task.WaitAsync(timeout ?? Wait.Frame);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the socket was not closed within {timeout ?? Wait.Frame}; received:\n{Dump()}");
        }
    }

    /// <summary>Every received frame, one a line, for failure messages.</summary>
    public string Dump()
    {
        lock (_gate) return string.Join('\n', _received.Select(f => f.Raw.Length > 500 ? f.Raw[..500] + "..." : f.Raw));
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
            {
                // The server may already be gone; the socket is aborted below.
            }
        }
        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The loop ends with the aborted socket; nothing is left to wait for.
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        var status = -1;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    status = (int?)result.CloseStatus ?? 1005;
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                    }
                    catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                    {
                        // Completing the close handshake is a courtesy.
                    }
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var frame = Frame.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
                message.SetLength(0);
                lock (_gate)
                {
                    _received.Add(frame);
                    _taken.Add(false);
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.TrySetResult();
                }
                if (AutoAck && frame.IsInboxEvent && frame.Seq > _acked)
                {
                    _acked = frame.Seq.Value;
                    await AckAsync(_acked);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection broke or the test ended: reported as -1 unless a close status came first.
        }
        finally
        {
            _closed.TrySetResult(status);
            lock (_gate) _changed.TrySetResult();
        }
    }
}

using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Cluster.Tests;

/// <summary>
/// One device of a user, driven through raw frames over one socket at a time, as a careful client would be: it sends
/// with cids and a bounded window, resends every send without an ok after its socket drops (same cid, through another
/// node), processes its inbox strictly in seq order and acks what it processed, and resumes after the last seq it
/// processed. It records everything a test checks: every reply, every error, every inbox event, any gap.
/// </summary>
internal sealed class ChatAgent : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly IReadOnlyList<Uri> _nodes;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly SemaphoreSlim _window;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _unanswered = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _node;
    private ClientWebSocket? _socket;
    private Task? _pump;
    private TaskCompletionSource<long> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChatAgent(string name, string token, IReadOnlyList<Uri> nodes, int node, int window)
    {
        Name = name;
        Token = token;
        _nodes = nodes;
        _node = node;
        _window = new SemaphoreSlim(window, window);
    }

    public string Name { get; }

    public string Token { get; }

    /// <summary>Replies to sends, by cid: the ok frames (the first one for a cid resent after a drop).</summary>
    public Dictionary<string, JsonElement> Oks { get; } = new(StringComparer.Ordinal);

    /// <summary>Error replies ("code: message"); a careful client under contention should get none.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Inbox events processed, in seq order.</summary>
    public List<JsonElement> Events { get; } = [];

    /// <summary>Events that arrived ahead of the next seq (a gap on the wire), as "expected k, got m".</summary>
    public List<string> Gaps { get; } = [];

    /// <summary>The last seq processed.</summary>
    public long LastSeq { get; private set; }

    /// <summary>The highest delivered receipt seen per conversation.</summary>
    public Dictionary<string, long> DeliveredUpTo { get; } = new(StringComparer.Ordinal);

    /// <summary>The inbox head the last welcome announced.</summary>
    public long WelcomeHead { get; private set; }

    /// <summary>Registers <paramref name="name"/> (or logs in as a new device of it) through one node and connects to <paramref name="node"/>.</summary>
    public static async Task<ChatAgent> StartAsync(IReadOnlyList<Uri> nodes, int node, string name, bool register = true, int window = 4)
    {
        var token = await WireClient.LoginAsync(nodes[node], name, register: register);
        var agent = new ChatAgent(name, token, nodes, node, window);
        await agent.ConnectAsync();
        return agent;
    }

    /// <summary>Sends a message; waits only while the window is full (the reply comes later, to <see cref="Oks"/> or <see cref="Errors"/>).</summary>
    public async Task SendAsync(string to, string cid, string body)
    {
        if (!await _window.WaitAsync(Timeout)) throw new TimeoutException($"{Name}: no reply to any of its sends for {Timeout}");
        var frame = JsonSerializer.Serialize(new { type = "send", rid = cid, cid, to, body });
        lock (_lock) _unanswered[cid] = frame;
        await WriteAsync(frame);
    }

    /// <summary>Drops the socket (no close handshake), reconnects through the next node, and resends every send still unanswered.</summary>
    public async Task DropAndResumeAsync()
    {
        _socket!.Abort();
        await _pump!;
        _socket.Dispose();
        _node = (_node + 1) % _nodes.Count;
        await ConnectAsync();
        string[] resend;
        lock (_lock) resend = [.. _unanswered.Values];
        foreach (var frame in resend) await WriteAsync(frame);
    }

    /// <summary>Completes when <paramref name="condition"/> holds (checked whenever a frame arrives), or throws after the timeout.</summary>
    public async Task WaitUntilAsync(Func<ChatAgent, bool> condition, TimeSpan timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(this)) return;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: {what} did not happen within {timeout}");
            }
        }
    }

    /// <summary>Runs <paramref name="read"/> under the agent's lock (the pump writes what it records under it).</summary>
    public T Read<T>(Func<ChatAgent, T> read)
    {
        lock (_lock) return read(this);
    }

    private async Task ConnectAsync()
    {
        _socket = new ClientWebSocket();
        _welcome = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _socket.ConnectAsync(new Uri($"ws://{_nodes[_node].Authority}/v1/ws"), CancellationToken.None).WaitAsync(Timeout);
        var socket = _socket;
        _pump = PumpAsync(socket);
        await WriteAsync(JsonSerializer.Serialize(new { type = "hello", token = Token, after = LastSeq }));
        WelcomeHead = await _welcome.Task.WaitAsync(Timeout);
    }

    private async Task WriteAsync(string frame)
    {
        if (!await _sendLock.WaitAsync(Timeout)) throw new TimeoutException($"{Name}: could not write for {Timeout}");
        try
        {
            await _socket!.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The socket was dropped meanwhile: what this frame carried is resent (a send) or re-acked (an ack) after the resume.
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PumpAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var (length, result) = await WebSocketMessages.ReceiveAsync(socket, buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return;
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
                var ack = Handle(doc.RootElement.Clone());
                if (ack is { } seq) await WriteAsync($$"""{"type":"ack","seq":{{seq}}}""");
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Dropped: DropAndResumeAsync (or DisposeAsync) did it.
        }
    }

    /// <summary>Records a frame; returns the seq to ack when it was an inbox event.</summary>
    private long? Handle(JsonElement frame)
    {
        lock (_lock)
        {
            try
            {
                var type = frame.GetProperty("type").GetString();
                switch (type)
                {
                    case "welcome":
                        _welcome.TrySetResult(frame.GetProperty("head").GetInt64());
                        return null;
                    case "ok" or "error" when frame.TryGetProperty("rid", out var rid) && _unanswered.Remove(rid.GetString()!):
                        if (type == "ok") Oks.TryAdd(rid.GetString()!, frame);
                        else Errors.Add($"{frame.GetProperty("code").GetString()}: {frame.GetProperty("message").GetString()}");
                        _window.Release();
                        return null;
                    case "ok" or "error":
                        // A reply to a send answered already (its first reply arrived before the drop).
                        if (type == "error") Errors.Add($"{frame.GetProperty("code").GetString()} (late): {frame.GetProperty("message").GetString()}");
                        return null;
                    case "presence" or "typing":
                        return null;
                }
                var seq = frame.GetProperty("seq").GetInt64();
                // Delivered again (a re-push, or a catch-up racing a push): a client drops it and acks again.
                if (seq <= LastSeq) return LastSeq;
                if (seq != LastSeq + 1) Gaps.Add($"expected {LastSeq + 1}, got {seq}");
                LastSeq = seq;
                Events.Add(frame);
                if (type == "receipt" && frame.GetProperty("status").GetString() == "delivered")
                {
                    var conv = frame.GetProperty("conv").GetString()!;
                    DeliveredUpTo[conv] = Math.Max(DeliveredUpTo.GetValueOrDefault(conv), frame.GetProperty("upTo").GetInt64());
                }
                return seq;
            }
            finally
            {
                _changed.TrySetResult();
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket?.Abort();
        if (_pump is not null) await _pump;
        _socket?.Dispose();
        _sendLock.Dispose();
        _window.Dispose();
    }
}

using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// A deliberately plain client over raw frames, independent of the SDK, so that SDK and server cannot
/// share a bug. It buffers every frame it receives; tests await the ones they expect, with timeouts.
/// </summary>
public sealed class WireClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _skipped = [];
    private readonly TaskCompletionSource<int?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _reader;
    private int _rid;

    public JsonElement Welcome { get; private set; }

    public static Task<string> LoginAsync(ServerProcess server, string user, string password = "password1", bool register = true) =>
        LoginAsync(server.BaseUri, user, password, register);

    public static async Task<string> LoginAsync(Uri server, string user, string password = "password1", bool register = true)
    {
        using var http = new HttpClient { BaseAddress = server };
        if (register)
        {
            using var created = await http.PostAsJsonAsync("v1/users", new { username = user, password });
            if (!created.IsSuccessStatusCode) throw new InvalidOperationException($"register {user}: {created.StatusCode}");
        }
        using var session = await http.PostAsJsonAsync("v1/sessions", new { username = user, password });
        session.EnsureSuccessStatusCode();
        return (await session.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Opens a socket without saying hello.</summary>
    public static Task<WireClient> OpenAsync(ServerProcess server, bool read = true, string? origin = null) =>
        OpenAsync(server.WebSocketUri, read, origin);

    public static async Task<WireClient> OpenAsync(Uri webSocketUri, bool read = true, string? origin = null)
    {
        var client = new WireClient();
        if (origin is not null) client._socket.Options.SetRequestHeader("Origin", origin);
        await client._socket.ConnectAsync(webSocketUri, CancellationToken.None).WaitAsync(Timeout);
        if (read) client._reader = client.ReadLoopAsync();
        return client;
    }

    /// <summary>Opens a socket and completes the hello/welcome handshake.</summary>
    public static Task<WireClient> ConnectAsync(ServerProcess server, string token, long? after = null) =>
        ConnectAsync(server.WebSocketUri, token, after);

    public static async Task<WireClient> ConnectAsync(Uri webSocketUri, string token, long? after = null)
    {
        var client = await OpenAsync(webSocketUri);
        await client.SendAsync(after is null ? new { type = "hello", token } : new { type = "hello", token, after });
        client.Welcome = await client.NextAsync("welcome");
        return client;
    }

    public string NextRid() => "r" + Interlocked.Increment(ref _rid);

    public Task SendAsync(object frame) => SendRawAsync(JsonSerializer.Serialize(frame));

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Sends a request with a fresh rid and returns its one reply.</summary>
    public async Task<JsonElement> RequestAsync(Dictionary<string, object?> frame)
    {
        var rid = NextRid();
        frame["rid"] = rid;
        await SendAsync(frame);
        return await NextAsync(f => f.TryGetProperty("rid", out var r) && r.GetString() == rid);
    }

    public Task<JsonElement> NextAsync(string type) => NextAsync(f => f.GetProperty("type").GetString() == type);

    /// <summary>The next frame matching <paramref name="match"/>; frames passed over stay available to later calls.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match)
    {
        lock (_skipped)
        {
            var index = _skipped.FindIndex(f => match(f));
            if (index >= 0)
            {
                var found = _skipped[index];
                _skipped.RemoveAt(index);
                return found;
            }
        }
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(timeout.Token);
            if (match(frame)) return frame;
            lock (_skipped) _skipped.Add(frame);
        }
    }

    /// <summary>Sends a close frame (1000) without waiting for anything.</summary>
    public Task CloseOutputAsync() => _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);

    /// <summary>The close status the server sent, once the socket is closed.</summary>
    public Task<int?> ClosedAsync() => _closed.Task.WaitAsync(Timeout);

    /// <summary>Starts reading (for a client opened with read: false).</summary>
    public void StartReading() => _reader ??= ReadLoopAsync();

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var (length, result) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closed.TrySetResult((int?)result.CloseStatus);
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    return;
                }
                using var doc = JsonDocument.Parse(buffer.AsMemory(0, length));
                _frames.Writer.TryWrite(doc.RootElement.Clone());
            }
        }
        // Abort disposes a ClientWebSocket: a receive that starts after it sees ObjectDisposedException.
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            _closed.TrySetResult(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        if (_reader is not null) await _reader;
        _socket.Dispose();
    }
}

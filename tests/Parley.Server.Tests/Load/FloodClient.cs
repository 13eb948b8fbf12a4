using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Parley.Testing;

namespace Parley.Server.Tests.Load;

/// <summary>
/// A client that sends as fast as the server answers: windows of <c>send</c> requests written back to back, then
/// their replies awaited. It reads everything the server writes and keeps nothing but counts, so that the test
/// process stays small however long it floods.
/// </summary>
internal sealed class FloodClient : IAsyncDisposable
{
    private static readonly byte[] OkHead = "{\"type\":\"ok\""u8.ToArray();
    private static readonly byte[] ErrorHead = "{\"type\":\"error\""u8.ToArray();
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _replies = new(0);
    private readonly TaskCompletionSource _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reader = Task.CompletedTask;
    private int _errors;

    /// <summary>Requests answered with <c>ok</c> so far.</summary>
    public long Sent { get; private set; }

    /// <summary>Requests answered with an error (a flood of sends should have none).</summary>
    public int Errors => Volatile.Read(ref _errors);

    public static async Task<FloodClient> ConnectAsync(ServerProcess server, string token)
    {
        var client = new FloodClient();
        await client._socket.ConnectAsync(server.WebSocketUri, CancellationToken.None).WaitAsync(WireClient.Timeout);
        client._reader = client.ReadLoopAsync();
        await client.SendTextAsync(JsonSerializer.Serialize(new { type = "hello", token }));
        await client._welcome.Task.WaitAsync(WireClient.Timeout);
        return client;
    }

    /// <summary>Sends messages of <paramref name="bodyChars"/> characters to <paramref name="to"/> until stopped or <paramref name="limit"/> are answered.</summary>
    public async Task FloodAsync(string to, int window, int bodyChars, long limit, CancellationToken stop)
    {
        var body = JsonSerializer.Serialize(new string('x', bodyChars));
        while (!stop.IsCancellationRequested && Sent < limit)
        {
            for (var i = 0; i < window; i++)
            {
                await SendTextAsync($$"""{"type":"send","rid":"f{{Sent + i}}","cid":"{{Guid.NewGuid():N}}","to":"{{to}}","body":{{body}}}""");
            }
            for (var i = 0; i < window; i++)
            {
                if (!await _replies.WaitAsync(WireClient.Timeout, CancellationToken.None)) throw new TimeoutException($"a send got no reply within {WireClient.Timeout}");
            }
            Sent += window;
        }
    }

    private Task SendTextAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(WireClient.Timeout);

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var (length, result) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var frame = buffer.AsSpan(0, length);
                if (frame.StartsWith(OkHead))
                {
                    _replies.Release();
                }
                else if (frame.StartsWith(ErrorHead))
                {
                    Interlocked.Increment(ref _errors);
                    _replies.Release();
                }
                else if (frame.IndexOf("\"welcome\""u8) >= 0)
                {
                    _welcome.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The test ended the socket.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _reader;
        _socket.Dispose();
        _replies.Dispose();
    }
}

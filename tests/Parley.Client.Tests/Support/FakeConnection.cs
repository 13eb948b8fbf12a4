using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Parley.Client.Transport;
using Parley.Testing;

namespace Parley.Client.Tests.Support;

/// <summary>One client connection as the fake server sees it.</summary>
internal sealed class FakeConnection : IWebSocketTransport
{
    private readonly FakeServer _server;
    private readonly Channel<TransportMessage> _toClient = Channel.CreateUnbounded<TransportMessage>();
    private readonly Channel<byte[]> _fromClient = Channel.CreateUnbounded<byte[]>();
    private volatile bool _aborted;

    public FakeConnection(FakeServer server) => _server = server;

    public Uri? Uri { get; private set; }

    public bool ClientClosed { get; private set; }

    // The client's side.

    public Task ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        Uri = uri;
        _server.Opened(this);
        return Task.CompletedTask;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        if (_aborted || !_fromClient.Writer.TryWrite(frame.ToArray())) throw new WebSocketException("the connection is gone (fake)");
        return ValueTask.CompletedTask;
    }

    public async ValueTask<TransportMessage> ReceiveAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _toClient.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new WebSocketException("the connection is gone (fake)", e);
        }
    }

    public Task CloseOutputAsync(CancellationToken cancellationToken)
    {
        ClientClosed = true;
        _fromClient.Writer.TryComplete();
        _toClient.Writer.TryWrite(TransportMessage.Closed(1000, "bye"));
        return Task.CompletedTask;
    }

    public void Abort()
    {
        _aborted = true;
        _toClient.Writer.TryComplete();
        _fromClient.Writer.TryComplete();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // The test's (server's) side.

    /// <summary>The next frame the client wrote, parsed.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        var bytes = await _fromClient.Reader.ReadAsync().Within(timeout);
        using var doc = JsonDocument.Parse(bytes);
        return doc.RootElement.Clone();
    }

    /// <summary>The next frame's raw text.</summary>
    public async Task<string> ReceiveRawAsync(TimeSpan? timeout = null) =>
        Encoding.UTF8.GetString(await _fromClient.Reader.ReadAsync().Within(timeout));

    /// <summary>True when the client wrote nothing that is still unread.</summary>
    public bool NothingReceived => !_fromClient.Reader.TryPeek(out _);

    /// <summary>Waits until the client ends the connection (close or abort), returning what it wrote meanwhile.</summary>
    public async Task<List<JsonElement>> DrainUntilClosedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Bounded.Default);
        var frames = new List<JsonElement>();
        await foreach (var bytes in _fromClient.Reader.ReadAllAsync(cts.Token))
        {
            using var doc = JsonDocument.Parse(bytes);
            frames.Add(doc.RootElement.Clone());
        }
        return frames;
    }

    public void Send(string json) => _toClient.Writer.TryWrite(new TransportMessage(Encoding.UTF8.GetBytes(json), null, null));

    public void Close(int status, string reason = "") => _toClient.Writer.TryWrite(TransportMessage.Closed(status, reason));

    /// <summary>The connection breaks without a close frame.</summary>
    public void Drop() => Abort();

    /// <summary>Reads the hello and answers welcome.</summary>
    public async Task<JsonElement> AcceptAsync(string user = "alice", long head = 0, int maxFrameBytes = 65536)
    {
        var hello = await ReceiveAsync();
        Assert.Equal("hello", hello.GetProperty("type").GetString());
        Send($$$"""{"type":"welcome","user":"{{{user}}}","device":"dev1","head":{{{head}}},"serverTime":1,"limits":{"maxFrameBytes":{{{maxFrameBytes}}},"maxBodyBytes":16384,"maxGroupMembers":200}}""");
        return hello;
    }

    public void SendMessage(long seq, string conv = "d:alice:bob", string from = "bob", string body = "\"hi\"", long? n = null) =>
        Send($$"""{"type":"message","seq":{{seq}},"id":"m{{seq}}","n":{{n ?? seq}},"conv":"{{conv}}","from":"{{from}}","cid":"c{{seq}}","kind":"text","body":{{body}},"ts":{{seq}}}""");
}

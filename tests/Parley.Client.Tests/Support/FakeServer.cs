using System.Threading.Channels;
using Parley.Client.Transport;
using Parley.Testing;

namespace Parley.Client.Tests.Support;

/// <summary>
/// Stands in for the server in the client's unit tests: every connection the client opens shows up in
/// <see cref="NextConnectionAsync"/>, where the test plays the server's side frame by frame.
/// </summary>
internal sealed class FakeServer
{
    private readonly Channel<FakeConnection> _connections = Channel.CreateUnbounded<FakeConnection>();
    private readonly List<(long At, bool Refused)> _log = [];
    private int _count;

    /// <summary>When true, connection attempts fail as if the server were down.</summary>
    public bool Refuse { get; set; }

    /// <summary>When set, connection attempts are refused as a server that is behind refuses the upgrade (503/429 with Retry-After).</summary>
    public (int Status, TimeSpan? RetryAfter)? Refusal { get; set; }

    /// <summary>How many connections the client opened (refused ones included).</summary>
    public int Attempts => Volatile.Read(ref _count);

    /// <summary>When each attempt was made (<see cref="System.Diagnostics.Stopwatch"/> timestamps) and whether it was refused with <see cref="Refusal"/>.</summary>
    public IReadOnlyList<(long At, bool Refused)> AttemptLog
    {
        get
        {
            lock (_log) return [.. _log];
        }
    }

    public IWebSocketTransport CreateTransport() => new FakeConnection(this);

    public Task<FakeConnection> NextConnectionAsync(TimeSpan? timeout = null) => _connections.Reader.ReadAsync().Within(timeout);

    public bool TryGetConnection(out FakeConnection? connection) => _connections.Reader.TryRead(out connection);

    internal void Opened(FakeConnection connection)
    {
        var refusal = Refusal;
        lock (_log) _log.Add((System.Diagnostics.Stopwatch.GetTimestamp(), refusal is not null));
        Interlocked.Increment(ref _count);
        if (refusal is { } r) throw new UpgradeRefusedException(r.Status, r.RetryAfter, null);
        if (Refuse) throw new System.Net.WebSockets.WebSocketException("connection refused (fake)");
        _connections.Writer.TryWrite(connection);
    }
}

using System.Net;
using System.Net.Sockets;

namespace Parley.Testing;

/// <summary>
/// A TCP proxy on 127.0.0.1 (a port the kernel picks) in front of a server, that drops connections as a mobile link
/// does: while armed, a connection whose client-to-server bytes pass the threshold is cut there (both sides reset)
/// after exactly that many bytes were forwarded. Everything else is forwarded as it is.
/// </summary>
public sealed class CuttingProxy : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private readonly Lock _gate = new();
    private long _cutAfterBytes;
    private int _cutsLeft;
    private TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private CuttingProxy(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a proxy to <paramref name="target"/> (an http://127.0.0.1:port/ address), not armed.</summary>
    public static CuttingProxy Start(Uri target) => new(target);

    /// <summary>The proxy's address, to use instead of the server's.</summary>
    public Uri BaseUri { get; }

    /// <summary>The next <paramref name="cuts"/> connections that carry more than <paramref name="afterBytes"/> bytes from the client are cut there.</summary>
    public Task ArmAsync(long afterBytes, int cuts = 1)
    {
        lock (_gate)
        {
            (_cutAfterBytes, _cutsLeft) = (afterBytes, cuts);
            _cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _cut.Task;
        }
    }

    /// <summary>How many connections were cut so far.</summary>
    public int Cuts { get; private set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections) _connections.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                await server.ConnectAsync(_target, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                return;
            }
            await Task.WhenAll(PumpAsync(client, server, countAndCut: true), PumpAsync(server, client, countAndCut: false));
        }
    }

    /// <summary>Copies one direction until its end (passed on as an end) or an error (which closes both sides).</summary>
    private async Task PumpAsync(TcpClient from, TcpClient to, bool countAndCut)
    {
        var buffer = new byte[BufferSize];
        long forwarded = 0;
        try
        {
            var source = from.GetStream();
            var sink = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Client.Shutdown(SocketShutdown.Send);
                    return;
                }
                if (countAndCut && TakeCut(forwarded, read) is { } keep)
                {
                    await sink.WriteAsync(buffer.AsMemory(0, keep), _stop.Token);
                    await sink.FlushAsync(_stop.Token);
                    Reset(from);
                    Reset(to);
                    return;
                }
                await sink.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                forwarded += read;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // One side went away (or the proxy stops): so does the other.
            Reset(from);
            Reset(to);
        }
    }

    /// <summary>When these bytes pass the armed threshold: how many of them still go through before the cut.</summary>
    private int? TakeCut(long forwarded, int read)
    {
        lock (_gate)
        {
            if (_cutsLeft == 0 || forwarded + read <= _cutAfterBytes) return null;
            _cutsLeft--;
            Cuts++;
            _cut.TrySetResult();
            return (int)Math.Max(0, _cutAfterBytes - forwarded);
        }
    }

    private static void Reset(TcpClient client)
    {
        try
        {
            // Linger 0: close sends a reset, as a link that drops leaves the ends with an error, not a clean end.
            client.Client.LingerState = new LingerOption(true, 0);
            client.Client.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed by the other direction.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] connections;
        lock (_connections) connections = [.. _connections];
        await Task.WhenAll(connections).WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}

using System.Collections.Concurrent;
using Parley.Client;
using Parley.Client.Http;
using Parley.Testing;

namespace Parley.Faults.Tests.Support;

/// <summary>A registered user with an SDK client whose handler records every message the application is given.</summary>
internal sealed class FaultUser : IAsyncDisposable
{
    private FaultUser(string name, string token)
    {
        Name = name;
        Token = token;
    }

    public string Name { get; }

    public string Token { get; }

    public ParleyClient? Client { get; private set; }

    /// <summary>How many times the application was handed each message id (more than once is a duplicate).</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new(StringComparer.Ordinal);

    public static async Task<FaultUser> RegisterAsync(Uri server, string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        const string password = "fault tests password";
        using var http = new ParleyHttpClient(server);
        await http.RegisterAsync(name, password).Within();
        var session = await http.LoginAsync(name, password, "faults").Within();
        return new FaultUser(name, session.Token);
    }

    /// <summary>Connects; <paramref name="server"/> is asked before every attempt, so a restarted server on a new port is found.</summary>
    public async Task<ParleyClient> ConnectAsync(Func<Uri> server)
    {
        var client = new ParleyClient(new ParleyClientOptions
        {
            ServerUriProvider = server,
            Token = Token,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            // Generous: a send waits through a server restart on a loaded machine.
            RequestTimeout = TimeSpan.FromSeconds(60),
        });
        client.MessageReceived += (m, _) =>
        {
            Delivered.AddOrUpdate(m.Id, 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        };
        Client = client;
        await client.ConnectAsync().Within();
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync().AsTask().Within();
    }
}

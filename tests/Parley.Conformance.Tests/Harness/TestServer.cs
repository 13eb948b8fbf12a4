using System.Net;
using Parley.Testing;

namespace Parley.Conformance.Tests.Harness;

/// <summary>A running server plus the clients tests use on it.</summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string Password = "correct horse";

    private TestServer(ServerProcess process)
    {
        Process = process;
        Api = new HttpApi(process.BaseUri);
    }

    public ServerProcess Process { get; }

    public HttpApi Api { get; }

    public static async Task<TestServer> StartAsync(params string[] args) =>
        new(await ServerProcess.StartAsync(args: args));

    /// <summary>Wraps a server process the test started or restarted itself (the process is disposed with it).</summary>
    public static TestServer Of(ServerProcess process) => new(process);

    /// <summary>Registers a new user with a unique name and logs it in.</summary>
    public async Task<Session> NewUserAsync(string prefix)
    {
        var username = Names.User(prefix);
        var created = await Api.CreateUserAsync(username, Password);
        Assert.True(created.Status == HttpStatusCode.Created, $"register {username}: {(int)created.Status} {created.Text}");
        return await Api.SessionAsync(username, Password);
    }

    /// <summary>Another device of the same user.</summary>
    public Task<Session> LoginAsync(Session user) => Api.SessionAsync(user.Username, user.Password);

    /// <summary>Opens a socket, says hello and waits for welcome.</summary>
    public async Task<RawClient> ConnectAsync(Session session, long? after = null, bool autoAck = false)
    {
        var client = await RawClient.ConnectAsync(Process.WebSocketUri);
        client.AutoAck = autoAck;
        try
        {
            await client.HelloAsync(session.Token, after);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return client;
    }

    /// <summary>
    /// Registers a user per prefix (all of them first, in order), then connects each on one device, in the same order:
    /// the setup most tests begin with.
    /// </summary>
    public Task<ConnectedUsers> ConnectUsersAsync(params string[] prefixes) => ConnectUsersAsync(autoAck: false, prefixes);

    /// <inheritdoc cref="ConnectUsersAsync(string[])"/>
    public async Task<ConnectedUsers> ConnectUsersAsync(bool autoAck, params string[] prefixes)
    {
        var sessions = new List<Session>(prefixes.Length);
        foreach (var prefix in prefixes) sessions.Add(await NewUserAsync(prefix));
        var users = new ConnectedUsers();
        try
        {
            foreach (var session in sessions) users.Add(new ConnectedUser(session, await ConnectAsync(session, autoAck: autoAck)));
        }
        catch
        {
            await users.DisposeAsync();
            throw;
        }
        return users;
    }

    /// <summary>Opens a socket without saying anything.</summary>
    public Task<RawClient> OpenAsync() => RawClient.ConnectAsync(Process.WebSocketUri);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Process.DisposeAsync();
    }
}

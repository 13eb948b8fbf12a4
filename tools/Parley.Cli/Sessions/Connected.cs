using Parley.Cli.Config;
using Parley.Client;
using Parley.Client.Http;

namespace Parley.Cli.Sessions;

/// <summary>
/// A command's session with the server as the logged-in device: the WebSocket client (connected) and the HTTP client
/// (users, media), the profile's config and the command's deadline. The SDK fails the first connection attempt at
/// once, so a server that is down is reported rather than waited for.
/// </summary>
internal sealed class Connected : IAsyncDisposable
{
    private Connected(ConfigStore store, CliConfig config, Uri server, ParleyClient client, ParleyHttpClient http)
    {
        Store = store;
        Config = config;
        Server = server;
        Client = client;
        Http = http;
    }

    public ConfigStore Store { get; }

    public CliConfig Config { get; set; }

    public string Me => Config.User;

    public Uri Server { get; }

    public ParleyClient Client { get; }

    public ParleyHttpClient Http { get; }

    /// <summary>A one-shot command's session: manual acks, never given, so that it leaves the inbox to <c>tail</c> and <c>chat</c>.</summary>
    public static Task<Connected> OpenAsync(ServerSettings settings, CancellationToken cancellationToken) =>
        OpenAsync(settings, AckMode.Manual, resume: false, configure: null, cancellationToken);

    /// <param name="settings">The server, timeout and profile.</param>
    /// <param name="ackMode">Manual for one-shot commands, which must not mark events processed that nobody displayed.</param>
    /// <param name="resume">Resume after the profile's last processed seq (tail, chat) rather than the server's cursor.</param>
    /// <param name="configure">Subscribes handlers before anything can arrive.</param>
    /// <param name="cancellationToken">Ctrl+C.</param>
    public static async Task<Connected> OpenAsync(
        ServerSettings settings, AckMode ackMode, bool resume, Action<ParleyClient>? configure, CancellationToken cancellationToken)
    {
        var store = settings.Store();
        var config = store.Require();
        var server = settings.ServerUri(config);
        var client = new ParleyClient(new ParleyClientOptions
        {
            ServerUri = server,
            Token = config.Token,
            After = resume ? config.LastSeq : null,
            AckMode = ackMode,
            ConnectTimeout = settings.Timeout,
            RequestTimeout = settings.Timeout,
        });
        configure?.Invoke(client);
        try
        {
            using var deadline = Deadline.After(settings.Timeout, cancellationToken);
            await client.ConnectAsync(deadline.Token);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
        return new Connected(store, config, server, client, new ParleyHttpClient(server));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Client.DisposeAsync();
    }
}

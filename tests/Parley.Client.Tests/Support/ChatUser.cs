using Parley.Client.Http;
using Parley.Protocol.Client;
using Parley.Testing;

namespace Parley.Client.Tests.Support;

/// <summary>A registered, logged-in user with a <see cref="ParleyClient"/> that logs what it raises.</summary>
internal sealed class ChatUser : IAsyncDisposable
{
    private ChatUser(string name, string password, ParleySession session)
    {
        Name = name;
        Password = password;
        Session = session;
    }

    public string Name { get; }

    public string Password { get; }

    public ParleySession Session { get; }

    public ParleyClient? Client { get; private set; }

    public EventLog<MessageEvent> Messages { get; } = new();

    public EventLog<ReceiptEvent> Receipts { get; } = new();

    public EventLog<ConnectionStateChange> States { get; } = new();

    public EventLog<ReactionEvent> Reactions { get; } = new();

    public EventLog<EditedEvent> Edits { get; } = new();

    /// <summary>Group, settings and deleted events.</summary>
    public EventLog<InboxEvent> Changes { get; } = new();

    /// <summary>The same user and token with a client of its own (and logs of its own).</summary>
    public ChatUser AnotherClient() => new(Name, Password, Session);

    /// <summary>A fresh username (usernames match <c>^[a-z0-9_]{3,32}$</c>).</summary>
    public static string NewName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<ChatUser> RegisterAsync(Uri server, string prefix)
    {
        var name = NewName(prefix);
        const string password = "correct horse battery";
        using var http = new ParleyHttpClient(server);
        await http.RegisterAsync(name, password, prefix).Within();
        var session = await http.LoginAsync(name, password, "tests").Within();
        return new ChatUser(name, password, session);
    }

    /// <summary>Creates the client (not connected yet); <paramref name="server"/> is asked before every connection attempt.</summary>
    public ParleyClient CreateClient(Func<Uri> server, Action<ParleyClientOptions>? configure = null)
    {
        var options = new ParleyClientOptions
        {
            ServerUriProvider = server,
            Token = Session.Token,
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var client = new ParleyClient(options);
        client.MessageReceived += (m, _) =>
        {
            Messages.Add(m);
            return ValueTask.CompletedTask;
        };
        client.ReceiptReceived += (r, _) =>
        {
            Receipts.Add(r);
            return ValueTask.CompletedTask;
        };
        client.GroupChanged += (g, _) =>
        {
            Changes.Add(g);
            return ValueTask.CompletedTask;
        };
        client.SettingsChanged += (e, _) =>
        {
            Changes.Add(e);
            return ValueTask.CompletedTask;
        };
        client.MessageDeleted += (d, _) =>
        {
            Changes.Add(d);
            return ValueTask.CompletedTask;
        };
        client.ReactionReceived += (r, _) =>
        {
            Reactions.Add(r);
            return ValueTask.CompletedTask;
        };
        client.MessageEdited += (e, _) =>
        {
            Edits.Add(e);
            return ValueTask.CompletedTask;
        };
        client.ConnectionStateChanged += (s, _) =>
        {
            States.Add(s);
            return ValueTask.CompletedTask;
        };
        Client = client;
        return client;
    }

    public async Task<ParleyClient> ConnectAsync(Func<Uri> server, Action<ParleyClientOptions>? configure = null)
    {
        var client = CreateClient(server, configure);
        await client.ConnectAsync().Within();
        return client;
    }

    /// <summary>Every message of a conversation, through history pages of 200.</summary>
    public async Task<List<HistoryMessage>> FullHistoryAsync(string conv)
    {
        var all = new List<HistoryMessage>();
        long? before = null;
        while (true)
        {
            var page = await Client!.HistoryAsync(conv, before, 200).Within();
            all.InsertRange(0, page);
            if (page.Count < 200) return all;
            before = page[0].N;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client is not null) await Client.DisposeAsync().AsTask().Within();
    }
}

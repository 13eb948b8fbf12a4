using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.Conformance.Tests.Harness;
using Xunit.Abstractions;
using static Parley.Conformance.Tests.Groups.GroupWire;

namespace Parley.Conformance.Tests.Groups;

/// <summary>Runs alone: 200 sockets on a 2-core machine should not share it with other classes.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LargeGroupSuite
{
    public const string Name = "Large group";
}

/// <summary>A server with default limits (200 members a group) and 201 registered users, registered once for the class.</summary>
public sealed class LargeGroupFixture : IAsyncLifetime
{
    public const int Users = 201;

    private TestServer? _server;

    public TestServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>201 logged-in users: enough for a full group and one more.</summary>
    public IReadOnlyList<Session> Sessions { get; private set; } = [];

    /// <summary>How long starting the server and registering the users took.</summary>
    public TimeSpan SetUpTime { get; private set; }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        _server = await TestServer.StartAsync("--Parley:Groups:ReceiptInterval=00:00:00.050");
        var sessions = new Session[Users];
        await LargeGroupTests.ForEachAsync(Enumerable.Range(0, Users), 4, async i => sessions[i] = await _server.NewUserAsync($"m{i:D3}"));
        Sessions = sessions;
        SetUpTime = clock.Elapsed;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>A group at the default maximum of 200 members, end to end over real sockets.</summary>
[Collection(LargeGroupSuite.Name)]
public sealed class LargeGroupTests(LargeGroupFixture fixture, ITestOutputHelper output) : IClassFixture<LargeGroupFixture>
{
    private const int Members = 200;
    private const int Senders = 5;
    private const int MessagesPerSender = 4;
    private const int Total = Senders * MessagesPerSender;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_one_of_200_members_receives_every_message_once_in_the_same_n_order()
    {
        var server = fixture.Server;
        var users = fixture.Sessions.Take(Members).ToArray();
        var clock = Stopwatch.StartNew();
        Assert.Equal(Members, await AnnouncedMaxAsync(server, users[0]));

        var clients = new ConcurrentDictionary<int, RawClient>();
        try
        {
            await ForEachAsync(Enumerable.Range(0, Members), 8, async i => clients[i] = await server.ConnectAsync(users[i], autoAck: true));
            var connected = clock.Elapsed;

            var creator = clients[0];
            var create = await creator.OkAsync(Create("Two hundred", [.. users.Skip(1).Select(u => u.Username)]));
            var conv = create.Str("conv")!;
            Assert.Equal(Members, Strings(create.Get("members")).Count);
            await ForEachAsync(clients.Values, 16, c => c.NextGroupEventAsync(conv, "created", EventWait));
            var created = clock.Elapsed;

            // Five members spread over the group each send four messages, all at once.
            var senderIndexes = Enumerable.Range(0, Senders).Select(s => s * (Members / Senders) + 7).ToList();
            var replies = new ConcurrentBag<(int Sender, Frame Reply)>();
            await ForEachAsync(senderIndexes, Senders, async s =>
            {
                for (var m = 0; m < MessagesPerSender; m++)
                {
                    replies.Add((s, await clients[s].SendToGroupAsync(conv, $"{{\"from\":{s},\"m\":{m}}}")));
                }
            });
            var ordered = replies.OrderBy(r => r.Reply.Number("n")).ToList();
            Assert.Equal(Enumerable.Range(1, Total).Select(n => (long)n), ordered.Select(r => r.Reply.Number("n")));
            var ids = ordered.Select(r => r.Reply.Str("id")).ToList();

            await ForEachAsync(clients.Values, 16, async c =>
            {
                for (var i = 0; i < Total; i++) await c.NextEventAsync("message", m => m.Str("conv") == conv, EventWait);
            });
            var delivered = clock.Elapsed;
            await ForEachAsync(clients.Values, 16, async c => await c.PingAsync());
            foreach (var (index, client) in clients)
            {
                var messages = client.Received.Where(f => f.Type == "message" && f.Str("conv") == conv).ToList();
                Assert.True(messages.Count == Total, $"member {index} got {messages.Count} message events, expected {Total} once each");
                Assert.Equal(ids, messages.Select(m => m.Str("id")));
                Assert.Equal(Enumerable.Range(1, Total).Select(n => (long)n), messages.Select(m => m.Number("n")));
            }

            // Each sender's messages end up delivered to the 199 others: an aggregated receipt covers its last one.
            foreach (var s in senderIndexes)
            {
                var last = ordered.Where(r => r.Sender == s).Max(r => r.Reply.Number("n"));
                var receipt = await clients[s].NextEventAsync(
                    "receipt", r => r.Str("conv") == conv && r.Str("status") == "delivered" && r.Number("upTo") >= last, EventWait);
                Assert.Equal("*", receipt.Str("by"));
            }
            var receipted = clock.Elapsed;

            output.WriteLine(
                $"server start and register+login of {LargeGroupFixture.Users} users (4 at a time) {fixture.SetUpTime.TotalSeconds:F1} s; " +
                $"connect {connected.TotalSeconds:F1} s; create + {Members} created events {(created - connected).TotalSeconds:F1} s; " +
                $"{Total} messages to every member {(delivered - created).TotalSeconds:F1} s; receipts {(receipted - delivered).TotalSeconds:F1} s; " +
                $"this test {clock.Elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await ForEachAsync(clients.Values, 16, async c => await c.DisposeAsync());
        }
    }

    [Fact]
    public async Task The_201st_member_is_group_full_whether_asked_for_at_creation_or_added_later()
    {
        var users = fixture.Sessions;
        var creator = users[Members];
        await using var client = await fixture.Server.ConnectAsync(creator, autoAck: true);

        // The creator and 200 others: 201.
        IsError(await client.RequestAsync(Create("Too big", [.. users.Take(Members).Select(u => u.Username)])), "group_full");
        var convs = await client.OkAsync(new JsonObject { ["type"] = "convs" });
        Assert.DoesNotContain(convs.Get("conversations").EnumerateArray(), c => c.GetProperty("kind").GetString() == "group");

        // The creator and 199 others: 200, full.
        var conv = (await client.OkAsync(Create("Just fits", [.. users.Skip(1).Take(Members - 1).Select(u => u.Username)]))).Str("conv")!;
        IsError(await client.RequestAsync(Add(conv, users[0].Username)), "group_full");

        var members = Strings((await client.InfoAsync(conv)).Get("members"));
        Assert.Equal(Members, members.Count);
        Assert.DoesNotContain(users[0].Username, members);
    }

    private static async Task<int> AnnouncedMaxAsync(TestServer server, Session user)
    {
        await using var client = await server.ConnectAsync(user);
        return client.Welcome!.Get("limits").GetProperty("maxGroupMembers").GetInt32();
    }

    /// <summary>Runs <paramref name="body"/> for each item, at most <paramref name="parallelism"/> at a time, bounded by <see cref="Step"/>.</summary>
    internal static async Task ForEachAsync<T>(IEnumerable<T> items, int parallelism, Func<T, Task> body)
    {
        using var timeout = new CancellationTokenSource(Step);
        await Parallel.ForEachAsync(
            items,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = timeout.Token },
            async (item, _) => await body(item)).WaitAsync(Step);
    }
}

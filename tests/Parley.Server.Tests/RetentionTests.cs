using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Testing;
using static Parley.Testing.TestNames;

namespace Parley.Server.Tests;

/// <summary>Disappearing messages, permanent ones, and delete for everyone, checked down to the database file.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private ServerProcess _server = null!;

    public async Task InitializeAsync() =>
        _server = await ServerProcess.StartAsync(args: ["--Parley:Retention:SweepInterval=00:00:00.200"]);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static Dictionary<string, object?> Request(string type, params (string Key, object? Value)[] fields)
    {
        var request = new Dictionary<string, object?> { ["type"] = type };
        foreach (var (key, value) in fields) request[key] = value;
        return request;
    }

    private static async Task<List<JsonElement>> HistoryAsync(WireClient client, string conv) =>
        (await client.RequestAsync(Request("history", ("conv", conv)))).GetProperty("messages").EnumerateArray().ToList();

    private long StoredRows(string sql, params (string Name, object Value)[] args)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "parley.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Disappearing_messages_expire_for_everyone_and_leave_the_database()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        await using var b = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, bob));
        var conv = string.CompareOrdinal(alice, bob) < 0 ? $"d:{alice}:{bob}" : $"d:{bob}:{alice}";

        var set = await b.RequestAsync(Request("retention", ("conv", conv), ("ttl", 1)));
        Assert.Equal(1, set.GetProperty("retention").GetInt64());
        var settings = await a.NextAsync("settings");
        Assert.Equal((conv, 1L), (settings.GetProperty("conv").GetString(), settings.GetProperty("retention").GetInt64()));

        var ok = await a.RequestAsync(Request("send", ("cid", "soon-gone"), ("to", bob), ("body", "secret")));
        Assert.Equal(ok.GetProperty("ts").GetInt64() + 1000, ok.GetProperty("expiresAt").GetInt64());
        var message = await b.NextAsync("message");
        Assert.Equal(ok.GetProperty("expiresAt").GetInt64(), message.GetProperty("expiresAt").GetInt64());

        await Bounded.EventuallyAsync(async () => (await HistoryAsync(b, conv)).Count == 0, "the message leaves history");
        await Bounded.EventuallyAsync(() => Task.FromResult(StoredRows("SELECT COUNT(*) FROM messages WHERE cid = $c", ("$c", "soon-gone")) == 0), "the sweeper deletes it");
        Assert.Equal(0, StoredRows("SELECT COUNT(*) FROM inbox WHERE conv = $c AND kind = 1", ("$c", conv)));

        // Back to permanent: messages sent from now on stay.
        await a.RequestAsync(Request("retention", ("conv", conv), ("ttl", null)));
        var kept = await a.RequestAsync(Request("send", ("cid", "kept"), ("to", bob), ("body", "stays")));
        Assert.False(kept.TryGetProperty("expiresAt", out _));
    }

    [Fact]
    public async Task An_offline_recipient_never_receives_an_expired_message()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        var bobToken = await WireClient.LoginAsync(_server, bob);
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        var gone = await a.RequestAsync(Request("send", ("cid", "brief"), ("to", bob), ("body", "brief"), ("ttl", 1)));
        var conv = gone.GetProperty("conv").GetString()!;
        await Bounded.EventuallyAsync(async () => (await HistoryAsync(a, conv)).Count == 0, "the message expires");
        await a.RequestAsync(Request("send", ("cid", "lasting"), ("to", bob), ("body", "lasting")));

        await using var b = await WireClient.ConnectAsync(_server, bobToken);
        var first = await b.NextAsync("message");
        Assert.Equal("lasting", first.GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_message_ttl_only_shortens_the_conversation_retention()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await WireClient.LoginAsync(_server, bob);
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        var first = await a.RequestAsync(Request("send", ("cid", "c0"), ("to", bob), ("body", "x")));
        var conv = first.GetProperty("conv").GetString()!;
        await a.RequestAsync(Request("retention", ("conv", conv), ("ttl", 3600)));

        var shorter = await a.RequestAsync(Request("send", ("cid", "c1"), ("to", bob), ("body", "x"), ("ttl", 60)));
        Assert.Equal(shorter.GetProperty("ts").GetInt64() + 60_000, shorter.GetProperty("expiresAt").GetInt64());
        var longer = await a.RequestAsync(Request("send", ("cid", "c2"), ("to", bob), ("body", "x"), ("ttl", 7200)));
        Assert.Equal(longer.GetProperty("ts").GetInt64() + 3_600_000, longer.GetProperty("expiresAt").GetInt64());
        var convs = (await a.RequestAsync(Request("convs"))).GetProperty("conversations").EnumerateArray();
        Assert.Equal(3600, convs.Single(c => c.GetProperty("conv").GetString() == conv).GetProperty("retention").GetInt64());
    }

    [Fact]
    public async Task Delete_for_everyone_removes_the_body_and_tells_every_member()
    {
        var (alice, bob) = (Unique("a"), Unique("b"));
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, alice));
        await using var b = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, bob));
        var ok = await a.RequestAsync(Request("send", ("cid", "oops"), ("to", bob), ("body", "the body that must go")));
        var conv = ok.GetProperty("conv").GetString()!;
        await b.NextAsync("message");

        var refused = await b.RequestAsync(Request("delete", ("conv", conv), ("n", 1)));
        Assert.Equal("forbidden", refused.GetProperty("code").GetString());
        Assert.Equal("ok", (await a.RequestAsync(Request("delete", ("conv", conv), ("n", 1)))).GetProperty("type").GetString());
        foreach (var client in new[] { a, b })
        {
            var deleted = await client.NextAsync("deleted");
            Assert.Equal((conv, 1L), (deleted.GetProperty("conv").GetString(), deleted.GetProperty("n").GetInt64()));
        }
        Assert.Empty(await HistoryAsync(b, conv));
        Assert.Equal(0, StoredRows("SELECT COUNT(*) FROM messages WHERE cid = $c AND length(body) > 0", ("$c", "oops")));
        Assert.Equal("not_found", (await a.RequestAsync(Request("delete", ("conv", conv), ("n", 1)))).GetProperty("code").GetString());
        // The cid still answers as the message it was.
        var again = await a.RequestAsync(Request("send", ("cid", "oops"), ("to", bob), ("body", "x")));
        Assert.True(again.GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task In_a_group_only_admins_set_retention_and_delete_others_messages()
    {
        var (admin, member) = (Unique("a"), Unique("m"));
        await using var a = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, admin));
        await using var m = await WireClient.ConnectAsync(_server, await WireClient.LoginAsync(_server, member));
        var conv = (await a.RequestAsync(Request("group.create", ("name", "g"), ("members", new[] { member })))).GetProperty("conv").GetString()!;
        Assert.Equal("forbidden", (await m.RequestAsync(Request("retention", ("conv", conv), ("ttl", 60)))).GetProperty("code").GetString());
        Assert.Equal(60, (await a.RequestAsync(Request("retention", ("conv", conv), ("ttl", 60)))).GetProperty("retention").GetInt64());

        await m.RequestAsync(Request("send", ("cid", "m1"), ("conv", conv), ("body", "by a member")));
        Assert.Equal("ok", (await a.RequestAsync(Request("delete", ("conv", conv), ("n", 1)))).GetProperty("type").GetString());
        Assert.Equal(1, (await m.NextAsync("deleted")).GetProperty("n").GetInt64());
        var info = await a.RequestAsync(Request("group.info", ("conv", conv)));
        Assert.Equal(60, info.GetProperty("retention").GetInt64());
    }
}

/// <summary>Expiry survives a restart: it is read from stored timestamps, not timers in memory.</summary>
public sealed class RetentionRestartTests
{
    [Fact]
    public async Task A_message_still_expires_after_the_server_restarts()
    {
        await using var first = await ServerProcess.StartAsync(args: ["--Parley:Retention:SweepInterval=00:00:00.200"]);
        var (alice, bob) = (Unique("a"), Unique("b"));
        var token = await WireClient.LoginAsync(first, alice);
        await WireClient.LoginAsync(first, bob);
        string conv;
        await using (var a = await WireClient.ConnectAsync(first, token))
        {
            conv = (await a.RequestAsync(new() { ["type"] = "send", ["cid"] = "t", ["to"] = bob, ["body"] = "x", ["ttl"] = 2 })).GetProperty("conv").GetString()!;
        }
        await first.StopAsync();
        await using var second = await first.RestartAsync();
        await using var again = await WireClient.ConnectAsync(second, token);
        // Expiry is a matter of the clock: the test waits for what it can observe, never for a fixed time.
        await Bounded.EventuallyAsync(async () => (await again.RequestAsync(new() { ["type"] = "history", ["conv"] = conv })).GetProperty("messages").GetArrayLength() == 0,
            "the message expires after the restart");
        using var connection = new SqliteConnection($"Data Source={Path.Combine(second.DataDir, "parley.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM messages";
        await Bounded.EventuallyAsync(() => (long)cmd.ExecuteScalar()! == 0, "the sweeper deletes the expired message after the restart");
    }
}

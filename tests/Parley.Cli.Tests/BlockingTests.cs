using System.Text.Json;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

// Protocol v1.1 blocking through the parley command against the real server.
public sealed class BlockingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Block_hides_what_the_user_sends_blocked_lists_them_and_unblock_lets_new_messages_through()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        var blocked = await alice.RunAsync("block", bob.Name);
        var again = await alice.RunAsync("block", "@" + bob.Name, "--json");
        var list = await alice.RunAsync("blocked");
        var listJson = await alice.RunAsync("blocked", "--json");
        var hidden = await bob.RunAsync("send", alice.Name, "you will not see this");
        var whileBlocked = await alice.RunAsync("history", bob.Name);
        var unblocked = await alice.RunAsync("unblock", bob.Name);
        var empty = await alice.RunAsync("blocked");
        var seen = await bob.RunAsync("send", alice.Name, "now you do");
        var after = await alice.RunAsync("history", bob.Name);

        Assert.True(blocked.ExitCode == 0, blocked.ToString());
        Assert.StartsWith($"blocked {bob.Name}", blocked.Stdout, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(again.Stdout).RootElement.GetProperty("blocked").GetBoolean());
        Assert.Equal($"{bob.Name}\n", list.Stdout);
        Assert.Equal([bob.Name], JsonDocument.Parse(listJson.Stdout).RootElement.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        // Accepted from bob (he gets his single tick), never shown to alice.
        Assert.True(hidden.ExitCode == 0, hidden.ToString());
        Assert.Equal("", whileBlocked.Stdout);
        Assert.True(unblocked.ExitCode == 0, unblocked.ToString());
        Assert.Equal(("", "you block nobody\n"), (empty.Stdout, empty.Stderr));
        Assert.True(seen.ExitCode == 0, seen.ToString());
        Assert.DoesNotContain("you will not see this", after.Stdout, StringComparison.Ordinal);
        Assert.EndsWith($"{bob.Name}: now you do\n", after.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocking_oneself_or_an_unknown_user_is_refused()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        var ghost = CliUser.NewName("ghost");

        var self = await alice.RunAsync("block", alice.Name);
        var unknown = await alice.RunAsync("unblock", ghost);

        Assert.Equal((9, "parley: you cannot block yourself\n"), (self.ExitCode, self.Stderr));
        Assert.Equal((6, $"parley: no user named '{ghost}'\n"), (unknown.ExitCode, unknown.Stderr));
    }
}

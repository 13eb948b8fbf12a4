using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

// Protocol v1.1 group invite links through the parley command against the real server.
public sealed partial class InviteTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task An_admin_shares_an_invite_link_a_user_joins_with_it_and_a_revoked_one_stops_working()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        using var carol = await new CliUser(CliUser.NewName("carol"), server.BaseUri).SignUpAsync();
        using var dave = await new CliUser(CliUser.NewName("dave"), server.BaseUri).SignUpAsync();
        var created = await alice.RunAsync("group", "create", "book club", bob.Name);
        var conv = Created().Match(created.Stdout).Groups["conv"].Value;

        var invite = await alice.RunAsync("group", "invite", "book club");
        var inviteJson = await alice.RunAsync("group", "invite", conv, "--json");
        var notAdmin = await bob.RunAsync("group", "invite", conv);
        var code = JsonDocument.Parse(inviteJson.Stdout).RootElement.GetProperty("code").GetString()!;
        var link = JsonDocument.Parse(inviteJson.Stdout).RootElement.GetProperty("link").GetString()!;
        var joined = await carol.RunAsync("group", "join", link);
        var joinedAgain = await carol.RunAsync("group", "join", code, "--json");
        var welcome = await alice.RunAsync("send", conv, "welcome carol");
        // bob's inbox: the group's creation, carol's join, then the message that stops tail.
        var tail = await bob.RunAsync("tail", "--count", "1");
        var carolReads = await carol.RunAsync("history", conv);
        var revoked = await alice.RunAsync("group", "revoke-invite", conv);
        var tooLate = await dave.RunAsync("group", "join", code);
        var notACode = await dave.RunAsync("group", "join", "not a code!");

        Assert.True(invite.ExitCode == 0, invite.ToString());
        Assert.Equal($"invite code for {conv}: {code}\nlink: {server.BaseUri.AbsoluteUri.TrimEnd('/')}/#join/{code}\n", invite.Stdout);
        Assert.Matches("^[A-Za-z0-9_-]{16,}$", code);
        Assert.Equal(8, notAdmin.ExitCode);
        Assert.True(joined.ExitCode == 0, joined.ToString());
        Assert.StartsWith($"joined {conv} with ", joined.Stdout, StringComparison.Ordinal);
        Assert.Contains(carol.Name, JsonDocument.Parse(joinedAgain.Stdout).RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(6, tooLate.ExitCode);
        Assert.Equal($"parley: no group has the invite code {code} (unknown, or revoked)\n", tooLate.Stderr);
        Assert.Equal(2, notACode.ExitCode);
        Assert.True(welcome.ExitCode == 0, welcome.ToString());
        Assert.Contains($"[{conv}] {carol.Name} joined with an invite link\n", tail.Stdout, StringComparison.Ordinal);
        Assert.EndsWith($"{alice.Name}: welcome carol\n", carolReads.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^created (?<conv>\S+) ", RegexOptions.Multiline)]
    private static partial Regex Created();
}

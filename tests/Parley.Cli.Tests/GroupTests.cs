using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

public sealed partial class GroupTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_group_is_created_messaged_by_its_id_and_its_members_managed()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        using var carol = await new CliUser(CliUser.NewName("carol"), server.BaseUri).SignUpAsync();

        var created = await alice.RunAsync("group", "create", "friends", bob.Name);
        Assert.True(created.ExitCode == 0, created.ToString());
        var conv = Created().Match(created.Stdout).Groups["conv"].Value;
        var added = await alice.RunAsync("group", "add", conv, carol.Name);
        var sent = await bob.RunAsync("send", conv, "hello group");
        var carolReads = await carol.RunAsync("history", conv);
        var notAdmin = await bob.RunAsync("group", "remove", conv, carol.Name);
        var removed = await alice.RunAsync("group", "remove", conv, carol.Name);
        var left = await bob.RunAsync("group", "leave", conv);
        var convs = await alice.RunAsync("convs");

        Assert.StartsWith("g:", conv, StringComparison.Ordinal);
        Assert.Contains(carol.Name, added.Stdout, StringComparison.Ordinal);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains($"{bob.Name}: hello group", carolReads.Stdout, StringComparison.Ordinal);
        Assert.Equal(8, notAdmin.ExitCode);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.DoesNotContain(carol.Name, removed.Stdout, StringComparison.Ordinal);
        Assert.True(left.ExitCode == 0, left.ToString());
        Assert.Contains($"friends ({alice.Name})", convs.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_is_reached_by_its_name_for_messages_info_and_rename()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var created = await alice.RunAsync("group", "create", "Weekend Trip", bob.Name);
        var conv = Created().Match(created.Stdout).Groups["conv"].Value;

        var sent = await bob.RunAsync("send", "Weekend Trip", "who drives?");
        var info = await alice.RunAsync("group", "info", "Weekend Trip");
        var renamed = await alice.RunAsync("group", "rename", "Weekend Trip", "Road Trip");
        var byNewName = await bob.RunAsync("history", "Road Trip");
        var byOldName = await bob.RunAsync("history", "Weekend Trip");
        var renamedByMember = await bob.RunAsync("group", "rename", conv, "Mine now");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains($"conv={conv}", sent.Stdout, StringComparison.Ordinal);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal($"Weekend Trip ({conv})\nmembers: {alice.Name} (admin), {bob.Name}\nmessages are kept\n", info.Stdout);
        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.EndsWith($"{bob.Name}: who drives?\n", byNewName.Stdout, StringComparison.Ordinal);
        Assert.Equal(6, byOldName.ExitCode);
        Assert.Equal("parley: no user or group named 'Weekend Trip'\n", byOldName.Stderr);
        Assert.Equal(8, renamedByMember.ExitCode);
    }

    [Fact]
    public async Task An_admin_describes_a_group_by_its_name_info_shows_it_and_an_empty_text_clears_it()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var created = await alice.RunAsync("group", "create", "Hikers", bob.Name);
        var conv = Created().Match(created.Stdout).Groups["conv"].Value;

        var described = await alice.RunAsync("group", "describe", "Hikers", "Saturday hikes, -5 degrees or not");
        var info = await bob.RunAsync("group", "info", conv);
        var infoJson = await bob.RunAsync("group", "info", "Hikers", "--json");
        var byMember = await bob.RunAsync("group", "describe", conv, "mine now");
        var tooLong = await alice.RunAsync("group", "describe", conv, new string('x', 513));
        var cleared = await alice.RunAsync("group", "describe", conv, "");
        var afterClear = await bob.RunAsync("group", "info", conv);

        Assert.True(described.ExitCode == 0, described.ToString());
        Assert.Equal($"described {conv} \"Saturday hikes, -5 degrees or not\"\n", described.Stdout);
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Equal($"Hikers ({conv})\ndescription: Saturday hikes, -5 degrees or not\nmembers: {alice.Name} (admin), {bob.Name}\nmessages are kept\n", info.Stdout);
        Assert.Equal("Saturday hikes, -5 degrees or not", JsonDocument.Parse(infoJson.Stdout).RootElement.GetProperty("description").GetString());
        Assert.Equal(8, byMember.ExitCode);
        Assert.Equal(9, tooLong.ExitCode);
        Assert.Contains("at most 512 characters", tooLong.Stderr, StringComparison.Ordinal);
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        Assert.Equal($"cleared the description of {conv}\n", cleared.Stdout);
        Assert.Equal($"Hikers ({conv})\nmembers: {alice.Name} (admin), {bob.Name}\nmessages are kept\n", afterClear.Stdout);
    }

    [Fact]
    public async Task A_group_with_an_unknown_member_is_refused()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();

        var result = await alice.RunAsync("group", "create", "friends", CliUser.NewName("ghost"));

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("is not a user", result.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^created (?<conv>\S+) ", RegexOptions.Multiline)]
    private static partial Regex Created();
}

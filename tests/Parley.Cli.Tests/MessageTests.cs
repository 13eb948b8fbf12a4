using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

public sealed partial class MessageTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Send_returns_once_stored_with_the_message_id_and_its_position()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        var first = await alice.RunAsync("send", bob.Name, "hello bob");
        var second = await bob.RunAsync("send", alice.Name, "hi alice");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var m1 = Sent().Match(first.Stdout);
        var m2 = Sent().Match(second.Stdout);
        Assert.True(m1.Success, first.ToString());
        Assert.Equal("1", m1.Groups["n"].Value);
        Assert.Equal("2", m2.Groups["n"].Value);
        Assert.NotEqual(m1.Groups["id"].Value, m2.Groups["id"].Value);
        Assert.Equal(m1.Groups["conv"].Value, m2.Groups["conv"].Value);
    }

    [Fact]
    public async Task Sending_to_an_unknown_user_names_the_user()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        var nobody = CliUser.NewName("nobody");

        var result = await alice.RunAsync("send", nobody, "hello?");

        Assert.Equal(6, result.ExitCode);
        Assert.Contains($"unknown user '{nobody}'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_by_user_name_shows_the_direct_conversation_oldest_first_within_the_limit()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "one");
        await bob.RunAsync("send", alice.Name, "two \"quoted\"");
        await alice.RunAsync("send", bob.Name, "three");

        var all = await bob.RunAsync("history", alice.Name);
        var last2 = await alice.RunAsync("history", bob.Name, "--limit", "2");

        Assert.True(all.ExitCode == 0, all.ToString());
        var lines = all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("#1 ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"{alice.Name}: one", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"{bob.Name}: two \"quoted\"", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"{alice.Name}: three", lines[2], StringComparison.Ordinal);
        Assert.Equal(2, last2.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(": one", last2.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convs_lists_each_conversation_with_its_peer_last_n_and_unread()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "one");
        await alice.RunAsync("send", bob.Name, "two");

        var result = await bob.RunAsync("convs");

        Assert.True(result.ExitCode == 0, result.ToString());
        var row = result.Stdout.Split('\n').Single(l => l.Contains("d:", StringComparison.Ordinal));
        var cells = row.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["direct", alice.Name, "2", "2"], cells[1..]);
    }

    [Fact]
    public async Task Tail_prints_incoming_messages_and_exits_after_count()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        using var tail = bob.Start(["tail", "--count", "2"]);
        var output = tail.StandardOutput.ReadToEndAsync();
        await alice.RunAsync("send", bob.Name, "first");
        await alice.RunAsync("send", bob.Name, "second");
        await tail.WaitForExitAsync().WaitAsync(CliUser.RunTimeout);

        Assert.Equal(0, tail.ExitCode);
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([$"#1 {alice.Name}: first", $"#2 {alice.Name}: second"], lines.Select(l => l[(l.IndexOf(']', StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task Tail_resumes_after_the_last_event_it_printed()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "first");
        var firstTail = await bob.RunAsync("tail", "--count", "1");
        await alice.RunAsync("send", bob.Name, "second");

        var secondTail = await bob.RunAsync("tail", "--count", "1");

        Assert.Contains(": first", firstTail.Stdout, StringComparison.Ordinal);
        Assert.True(secondTail.ExitCode == 0, secondTail.ToString());
        Assert.DoesNotContain(": first", secondTail.Stdout, StringComparison.Ordinal);
        Assert.Contains($"#2 {alice.Name}: second", secondTail.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^sent (?<id>\S+) n=(?<n>\d+) conv=(?<conv>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sent();
}

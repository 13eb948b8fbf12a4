using System.Text.Json;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

public sealed class ParsingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Text_starting_with_a_dash_is_refused_before_dash_dash_and_sent_whole_after_it()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        var cut = await alice.RunAsync("send", bob.Name, "-5 degrees outside today");
        var before = await alice.RunAsync("history", bob.Name, "--json");
        var whole = await alice.RunAsync("send", bob.Name, "--", "-5 degrees outside today");
        var dashes = await alice.RunAsync("send", bob.Name, "--", "--json");
        var after = await alice.RunAsync("history", bob.Name, "--json");

        Assert.Equal(2, cut.ExitCode);
        Assert.Contains("put -- before text that starts with '-'", cut.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(before.Stdout).RootElement.GetArrayLength());
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.True(dashes.ExitCode == 0, dashes.ToString());
        Assert.Equal(["-5 degrees outside today", "--json"], Texts(after.Stdout));
    }

    [Fact]
    public async Task An_unknown_option_is_an_error_and_not_ignored()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();

        var result = await alice.RunAsync("history", alice.Name, "--limt", "1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown option 'limt'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_limit_that_is_not_a_number_says_what_is_expected()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();

        var word = await alice.RunAsync("history", alice.Name, "--limit", "abc");
        var tooMany = await alice.RunAsync("history", alice.Name, "--limit", "201");

        Assert.Equal(2, word.ExitCode);
        Assert.Equal("parley: --limit expects a whole number from 1 to 200, not 'abc' (see parley <command> --help)\n", word.Stderr);
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Contains("not '201'", tooMany.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_reads_the_text_from_standard_input_and_refuses_an_empty_one()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        var piped = await alice.RunAsync(["send", bob.Name, "--stdin"], "-line one\nline \"two\"\n");
        var emptyStdin = await alice.RunAsync(["send", bob.Name, "--stdin"], "");
        var emptyArgument = await alice.RunAsync("send", bob.Name, "");
        var blank = await alice.RunAsync("send", bob.Name, "   ");
        var history = await alice.RunAsync("history", bob.Name, "--json");

        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal(9, emptyStdin.ExitCode);
        Assert.Contains("the message is empty", emptyStdin.Stderr, StringComparison.Ordinal);
        Assert.Equal(9, emptyArgument.ExitCode);
        Assert.Equal(9, blank.ExitCode);
        Assert.Equal(["-line one\nline \"two\""], Texts(history.Stdout));
    }

    private static string[] Texts(string historyJson) =>
        [.. JsonDocument.Parse(historyJson).RootElement.EnumerateArray().Select(m => m.GetProperty("text").GetString()!)];
}

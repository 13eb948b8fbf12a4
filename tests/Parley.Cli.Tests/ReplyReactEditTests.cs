using System.Text.Json;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

// Protocol v1.1 replies, reactions and edits through the parley command against the real server.
public sealed class ReplyReactEditTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reply_quotes_a_message_that_history_and_json_show_and_a_reply_to_nothing_stores_nothing()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "dinner at 8?");

        var replied = await bob.RunAsync("reply", alice.Name, "1", "8 is fine");
        var json = await bob.RunAsync("reply", alice.Name, "1", "--json", "--", "-or 9");
        var toNothing = await bob.RunAsync("reply", alice.Name, "7", "hello?");
        var history = await alice.RunAsync("history", bob.Name);
        var historyJson = await alice.RunAsync("history", bob.Name, "--json");

        Assert.True(replied.ExitCode == 0, replied.ToString());
        Assert.EndsWith(" n=2 conv=" + Conv(alice, bob) + " reply to #1\n", replied.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(1, JsonDocument.Parse(json.Stdout).RootElement.GetProperty("replyTo").GetInt64());
        Assert.Equal(6, toNothing.ExitCode);
        Assert.Equal($"parley: no message #7 in {Conv(alice, bob)} that you can reply to (missing, deleted or expired): nothing was sent\n", toNothing.Stderr);
        var lines = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.EndsWith($"{bob.Name}: (reply to #1) 8 is fine", lines[1], StringComparison.Ordinal);
        Assert.EndsWith($"{bob.Name}: (reply to #1) -or 9", lines[2], StringComparison.Ordinal);
        var messages = JsonDocument.Parse(historyJson.Stdout).RootElement.EnumerateArray().ToList();
        Assert.False(messages[0].TryGetProperty("replyTo", out _));
        Assert.Equal(1, messages[1].GetProperty("replyTo").GetInt64());
    }

    [Fact]
    public async Task React_sets_replaces_and_takes_back_a_reaction_that_history_and_tail_show()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "we won");
        await alice.RunAsync("send", bob.Name, "again");

        var first = await bob.RunAsync("react", alice.Name, "1", "🎉");
        var own = await alice.RunAsync("react", bob.Name, "1", "❤️", "--json");
        var replaced = await bob.RunAsync("react", alice.Name, "1", "😂");
        var onSecond = await bob.RunAsync("react", alice.Name, "2", "👍");
        var removed = await bob.RunAsync("react", alice.Name, "2", "--remove");
        var history = await alice.RunAsync("history", bob.Name);
        var historyJson = await alice.RunAsync("history", bob.Name, "--json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal($"reacted 🎉 to #1 in {Conv(alice, bob)}\n", first.Stdout);
        Assert.Equal("❤️", JsonDocument.Parse(own.Stdout).RootElement.GetProperty("emoji").GetString());
        Assert.True(replaced.ExitCode == 0 && onSecond.ExitCode == 0, replaced + "\n" + onSecond);
        Assert.Equal($"took back your reaction to #2 in {Conv(alice, bob)}\n", removed.Stdout);
        var lines = history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // bob's reaction was first made before alice's: replacing it keeps its place.
        Assert.EndsWith($"{alice.Name}: we won [😂 {bob.Name}, ❤️ {alice.Name}]", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($"{alice.Name}: again", lines[1], StringComparison.Ordinal);
        var reactions = JsonDocument.Parse(historyJson.Stdout).RootElement[0].GetProperty("reactions");
        Assert.Equal([(bob.Name, "😂"), (alice.Name, "❤️")], reactions.EnumerateArray().Select(r => (r.GetProperty("by").GetString()!, r.GetProperty("emoji").GetString()!)));
    }

    [Fact]
    public async Task Tail_prints_reactions_and_edits_as_they_come()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "see you at 7");
        await bob.RunAsync("react", alice.Name, "1", "👍");
        await alice.RunAsync("edit", bob.Name, "1", "see you at 8");
        await bob.RunAsync("react", alice.Name, "1", "--remove");
        // The last message stops tail: everything before it in the inbox is printed first.
        await alice.RunAsync("send", bob.Name, "bye");

        var text = await bob.RunAsync("tail", "--count", "2");
        var json = await alice.RunAsync("tail", "--json", "--count", "2");

        Assert.True(text.ExitCode == 0, text.ToString());
        var conv = Conv(alice, bob);
        Assert.Equal(
            [
                // Replayed after the edit, the message event carries the latest body.
                $"[{conv}] #1 {alice.Name}: see you at 8 (edited)",
                $"[{conv}] #1 {bob.Name} reacted 👍",
                $"[{conv}] #1 edited: see you at 8",
                $"[{conv}] #1 {bob.Name} took back their reaction",
                $"[{conv}] #2 {alice.Name}: bye",
            ],
            text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains(" by ", StringComparison.Ordinal)));
        var events = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var reaction = events.First(e => e.GetProperty("type").GetString() == "reaction");
        Assert.Equal((1L, bob.Name, "👍"), (reaction.GetProperty("n").GetInt64(), reaction.GetProperty("by").GetString(), reaction.GetProperty("emoji").GetString()));
        var edited = events.Single(e => e.GetProperty("type").GetString() == "edited");
        Assert.Equal(("see you at 8", "\"see you at 8\""), (edited.GetProperty("text").GetString(), edited.GetProperty("body").GetRawText()));
        Assert.True(edited.GetProperty("editedAt").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, events.Last(e => e.GetProperty("type").GetString() == "reaction").GetProperty("emoji").ValueKind);
    }

    [Fact]
    public async Task Edit_changes_ones_own_message_and_refuses_someone_elses_and_a_missing_one()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "see you at 7");

        var edited = await alice.RunAsync("edit", bob.Name, "1", "see you at 8");
        var json = await alice.RunAsync(["edit", bob.Name, "1", "--stdin", "--json"], "see you at 9\n");
        var notSender = await bob.RunAsync("edit", alice.Name, "1", "mine now");
        var missing = await alice.RunAsync("edit", bob.Name, "5", "nothing");
        var empty = await alice.RunAsync("edit", bob.Name, "1", " ");
        var history = await bob.RunAsync("history", alice.Name);
        var historyJson = await bob.RunAsync("history", alice.Name, "--json");

        Assert.True(edited.ExitCode == 0, edited.ToString());
        Assert.Equal($"edited #1 in {Conv(alice, bob)}\n", edited.Stdout);
        Assert.True(json.ExitCode == 0, json.ToString());
        var editedAt = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("editedAt").GetInt64();
        Assert.Equal(8, notSender.ExitCode);
        Assert.StartsWith($"parley: you cannot edit #1 in {Conv(alice, bob)}: only its sender may", notSender.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, missing.ExitCode);
        Assert.Equal(9, empty.ExitCode);
        Assert.EndsWith($"{alice.Name}: see you at 9 (edited)\n", history.Stdout, StringComparison.Ordinal);
        Assert.Equal(editedAt, JsonDocument.Parse(historyJson.Stdout).RootElement[0].GetProperty("editedAt").GetInt64());
    }

    [Fact]
    public async Task Reply_react_and_edit_parse_strictly()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();

        var both = await alice.RunAsync("react", alice.Name, "1", "👍", "--remove");
        var neither = await alice.RunAsync("react", alice.Name, "1");
        var tooLong = await alice.RunAsync("react", alice.Name, "1", new string('x', 33));
        var badN = await alice.RunAsync("reply", alice.Name, "first", "text");
        var noText = await alice.RunAsync("edit", alice.Name, "1");
        var textAndStdin = await alice.RunAsync(["reply", alice.Name, "1", "text", "--stdin"], "more");

        Assert.Equal(2, both.ExitCode);
        Assert.StartsWith("parley: give the reaction or --remove, not both", both.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.StartsWith("parley: give the reaction (an emoji) or --remove", neither.Stderr, StringComparison.Ordinal);
        Assert.Equal(9, tooLong.ExitCode);
        Assert.Contains("a reaction is 1 to 32 bytes in UTF-8", tooLong.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badN.ExitCode);
        Assert.Contains("<n> expects a whole number of at least 1, not 'first'", badN.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noText.ExitCode);
        Assert.StartsWith("parley: give the text or --stdin", noText.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, textAndStdin.ExitCode);
    }

    [Fact]
    public async Task Chat_shows_the_quoted_line_of_a_reply_reactions_and_edited()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "dinner at 8?");
        await bob.RunAsync("reply", alice.Name, "1", "history reply");

        await using var chat = TerminalSession.Start(bob, "chat", alice.Name);
        // From history: the reply's quoted line is drawn above it.
        await chat.WaitForAsync($"┃ {alice.Name}: dinner at 8?", Timeout);
        await chat.WaitForAsync("history reply", Timeout);
        var live = await alice.RunAsync("reply", bob.Name, "2", "live reply");
        await chat.WaitForAsync("┃ you: history reply", Timeout);
        await chat.WaitForAsync("live reply", Timeout);
        var reacted = await alice.RunAsync("react", bob.Name, "2", "👍");
        await chat.WaitForAsync($"👍 {alice.Name}", Timeout);
        var edited = await alice.RunAsync("edit", bob.Name, "3", "live reply, fixed");
        await chat.WaitForAsync("live reply, fixed \u001b[38;5;8m(edited)", Timeout);
        await chat.TypeAsync("\u001b");

        Assert.Equal(0, await chat.WaitForExitAsync(Timeout));
        Assert.True(live.ExitCode == 0 && reacted.ExitCode == 0 && edited.ExitCode == 0, $"{live}\n{reacted}\n{edited}");
    }

    [Fact]
    public async Task Chat_fetches_the_quoted_line_of_a_reply_to_a_message_older_than_its_history()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "the very first message");
        await alice.RunAsync("send", bob.Name, "filler");
        await bob.RunAsync("reply", alice.Name, "1", "answer to the first");
        // bob has seen them all: the chat resumes after them, so only its one message of history is on screen.
        var seen = await bob.RunAsync("tail", "--count", "3");
        Assert.True(seen.ExitCode == 0, seen.ToString());

        await using var chat = TerminalSession.Start(bob, "chat", alice.Name, "--limit", "1");
        await chat.WaitForAsync("answer to the first", Timeout);
        await chat.WaitForAsync($"┃ {alice.Name}: the very first message", Timeout);
        await chat.TypeAsync("\u001b");

        Assert.Equal(0, await chat.WaitForExitAsync(Timeout));
        Assert.DoesNotContain("filler", chat.Screen, StringComparison.Ordinal);
    }

    private static string Conv(CliUser a, CliUser b) => string.CompareOrdinal(a.Name, b.Name) < 0 ? $"d:{a.Name}:{b.Name}" : $"d:{b.Name}:{a.Name}";
}

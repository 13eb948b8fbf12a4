using Parley.Cli.Tests.Support;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class ChatTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Chat_shows_history_sends_typed_lines_and_moves_the_tick_to_delivered_then_read()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "before the chat");

        await using var chat = TerminalSession.Start(bob, "chat", alice.Name);
        await chat.WaitForAsync("before the chat", Timeout);
        await chat.TypeAsync("hello from the chat\r");
        var aliceGetsIt = await alice.RunAsync("tail", "--count", "2");
        await chat.WaitForAsync("hello from the chat \u001b[38;5;8m✓✓", Timeout);
        await using (var aliceChat = TerminalSession.Start(alice, "chat", bob.Name))
        {
            // Opening the chat reads it: bob's tick turns blue.
            await aliceChat.WaitForAsync("hello from the chat", Timeout);
            await chat.WaitForAsync("hello from the chat \u001b[38;5;12m✓✓", Timeout);
            await aliceChat.TypeAsync("\u001b");
            Assert.Equal(0, await aliceChat.WaitForExitAsync(Timeout));
        }
        await chat.TypeAsync("\u001b");
        var exit = await chat.WaitForExitAsync(Timeout);

        Assert.Contains($"#2 {bob.Name}: hello from the chat", aliceGetsIt.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Chat_shows_media_as_a_line_and_the_peers_presence_and_typing_in_its_header()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var path = Path.Combine(alice.ConfigHome, "beach.png");
        await File.WriteAllBytesAsync(path, PngFiles.Solid(1280, 720));
        var sent = await alice.RunAsync("send", bob.Name, "--file", path, "the beach");
        Assert.True(sent.ExitCode == 0, sent.ToString());

        await using var chat = TerminalSession.Start(bob, "chat", alice.Name);
        await chat.WaitForAsync("[image 1280×720] the beach", Timeout);
        // Alice sent a minute ago and is not connected: her last seen, not "online".
        await chat.WaitForAsync("last seen ", Timeout);
        Assert.DoesNotContain("online", chat.Screen, StringComparison.Ordinal);
        await using (var aliceChat = TerminalSession.Start(alice, "chat", bob.Name))
        {
            await chat.WaitForAsync("online", Timeout);
            await aliceChat.WaitForAsync("Enter sends", Timeout);
            await aliceChat.TypeAsync("h");
            await chat.WaitForAsync("typing…", Timeout);
            await aliceChat.TypeAsync("\u001b");
            Assert.Equal(0, await aliceChat.WaitForExitAsync(Timeout));
        }
        await chat.TypeAsync("\u001b");

        Assert.Equal(0, await chat.WaitForExitAsync(Timeout));
    }

    [Fact]
    public async Task Chat_refuses_an_unknown_user_when_it_opens()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        var ghost = CliUser.NewName("ghost");

        await using var chat = TerminalSession.Start(alice, "chat", ghost);
        var exit = await chat.WaitForExitAsync(Timeout);

        Assert.Equal(6, exit);
        Assert.Contains($"no user or group named '{ghost}'", chat.Screen, StringComparison.Ordinal);
        Assert.DoesNotContain("Enter sends", chat.Screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_refuses_to_run_without_a_terminal()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();

        var result = await alice.RunAsync("chat", "bob");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("needs a terminal", result.Stderr, StringComparison.Ordinal);
    }
}

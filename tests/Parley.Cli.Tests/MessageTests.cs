using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;
using Parley.Testing;

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
        Assert.Equal($"parley: no user or group named '{nobody}'\n", result.Stderr);
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

    [Fact]
    public async Task A_photo_is_sent_with_its_caption_listed_with_its_size_and_downloaded_byte_for_byte()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var photo = PngFiles.Solid(1280, 720);
        var path = Path.Combine(alice.ConfigHome, "beach.png");
        await File.WriteAllBytesAsync(path, photo);

        var sent = await alice.RunAsync("send", bob.Name, "--file", path, "the beach");
        var history = await bob.RunAsync("history", alice.Name);
        var download = await bob.RunAsync("download", alice.Name, "1", "--json");
        var again = await bob.RunAsync("download", alice.Name, "1");
        var notMedia = await alice.RunAsync("send", bob.Name, "plain");
        var noMedia = await bob.RunAsync("download", alice.Name, "2");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.EndsWith($"{alice.Name}: [image 1280×720] the beach\n", history.Stdout, StringComparison.Ordinal);
        Assert.True(download.ExitCode == 0, download.ToString());
        using var saved = System.Text.Json.JsonDocument.Parse(download.Stdout);
        Assert.Equal("image/png", saved.RootElement.GetProperty("mime").GetString());
        Assert.Equal(photo, await File.ReadAllBytesAsync(saved.RootElement.GetProperty("path").GetString()!));
        Assert.Equal(9, again.ExitCode);
        Assert.Contains("exists: give --force", again.Stderr, StringComparison.Ordinal);
        Assert.True(notMedia.ExitCode == 0, notMedia.ToString());
        Assert.Equal(6, noMedia.ExitCode);
        Assert.Contains("has no photo or video", noMedia.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_the_server_does_not_accept_is_refused_and_nothing_is_sent()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var path = Path.Combine(alice.ConfigHome, "fake.png");
        await File.WriteAllTextAsync(path, "not a picture at all");

        var result = await alice.RunAsync("send", bob.Name, "--file", path);
        var history = await alice.RunAsync("history", bob.Name);

        Assert.Equal(9, result.ExitCode);
        Assert.Contains("fake.png is not a type the server accepts as image/png", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", history.Stdout);
    }

    [Fact]
    public async Task Read_marks_the_conversation_read_and_delete_removes_a_message_for_everyone()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "one");
        await alice.RunAsync("send", bob.Name, "two");

        var unreadBefore = await bob.RunAsync("convs");
        var read = await bob.RunAsync("read", alice.Name);
        var unreadAfter = await bob.RunAsync("convs");
        var notTheSender = await bob.RunAsync("delete", alice.Name, "1");
        var deleted = await alice.RunAsync("delete", bob.Name, "1");
        var history = await bob.RunAsync("history", alice.Name);
        var badN = await alice.RunAsync("delete", bob.Name, "first");

        Assert.EndsWith("\t2\t2\n", unreadBefore.Stdout, StringComparison.Ordinal);
        Assert.True(read.ExitCode == 0, read.ToString());
        Assert.Equal($"read d:{string.Join(':', new[] { alice.Name, bob.Name }.Order(StringComparer.Ordinal))} up to #2\n", read.Stdout);
        Assert.EndsWith("\t2\t0\n", unreadAfter.Stdout, StringComparison.Ordinal);
        Assert.Equal(8, notTheSender.ExitCode);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        // A deleted message leaves history (docs/protocol.md).
        var line = Assert.Single(history.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("#2 ", line, StringComparison.Ordinal);
        Assert.EndsWith($"{alice.Name}: two", line, StringComparison.Ordinal);
        Assert.Equal(2, badN.ExitCode);
        Assert.Contains("<n> expects a whole number", badN.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^sent (?<id>\S+) n=(?<n>\d+) conv=(?<conv>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Sent();
}

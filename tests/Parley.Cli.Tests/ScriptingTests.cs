using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Tests.Support;

namespace Parley.Cli.Tests;

public sealed partial class ScriptingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Json_output_has_the_protocols_fields_and_the_body_byte_for_byte()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();

        var sent = await alice.RunAsync("send", bob.Name, "héllo \"bob\" 😀", "--json");
        var history = await bob.RunAsync("history", alice.Name, "--json");
        var convs = await bob.RunAsync("convs", "--json");
        var whoami = await bob.RunAsync("whoami", "--json");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        using var sentJson = JsonDocument.Parse(sent.Stdout);
        Assert.Equal(1, sentJson.RootElement.GetProperty("n").GetInt64());
        Assert.False(sentJson.RootElement.GetProperty("duplicate").GetBoolean());
        using var historyJson = JsonDocument.Parse(history.Stdout);
        var message = Assert.Single(historyJson.RootElement.EnumerateArray());
        Assert.Equal(sentJson.RootElement.GetProperty("id").GetString(), message.GetProperty("id").GetString());
        Assert.Equal("\"héllo \\\"bob\\\" 😀\"", message.GetProperty("body").GetRawText());
        Assert.Equal("héllo \"bob\" 😀", message.GetProperty("text").GetString());
        Assert.Equal(alice.Name, message.GetProperty("from").GetString());
        using var convsJson = JsonDocument.Parse(convs.Stdout);
        var conv = Assert.Single(convsJson.RootElement.EnumerateArray());
        Assert.Equal((alice.Name, 1L), (conv.GetProperty("title").GetString(), conv.GetProperty("unread").GetInt64()));
        using var whoamiJson = JsonDocument.Parse(whoami.Stdout);
        Assert.Equal((bob.Name, "default", bob.ConfigFile), (
            whoamiJson.RootElement.GetProperty("user").GetString(),
            whoamiJson.RootElement.GetProperty("profile").GetString(),
            whoamiJson.RootElement.GetProperty("config").GetString()));
    }

    [Fact]
    public async Task Convs_off_a_terminal_prints_tab_separated_lines_without_a_table()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        await alice.RunAsync("send", bob.Name, "one");
        await alice.RunAsync("send", bob.Name, "two");

        var result = await bob.RunAsync("convs");

        Assert.True(result.ExitCode == 0, result.ToString());
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["direct", alice.Name, "2", "2"], line.Split('\t')[1..].AsEnumerable());
        Assert.DoesNotContain('│', result.Stdout);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task PARLEY_SERVER_and_profiles_keep_two_logins_apart()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);
        var bobName = CliUser.NewName("bob");
        var env = new Dictionary<string, string> { ["PARLEY_SERVER"] = server.BaseUri.AbsoluteUri };
        var secondProfile = new Dictionary<string, string>(env) { ["PARLEY_PROFILE"] = "second" };

        var registerAlice = await alice.RunAsync(["register", alice.Name, "--password-stdin"], CliUser.Password + "\n", env);
        var registerBob = await alice.RunAsync(["register", bobName, "--password-stdin"], CliUser.Password + "\n", env);
        var loginAlice = await alice.RunAsync(["login", alice.Name, "--password-stdin"], CliUser.Password + "\n", env);
        var loginBob = await alice.RunAsync(["login", bobName, "--password-stdin", "--profile", "second"], CliUser.Password + "\n", env);
        var whoDefault = await alice.RunAsync(["whoami"], null, env);
        var whoSecond = await alice.RunAsync(["whoami"], null, secondProfile);
        var sent = await alice.RunAsync(["send", alice.Name, "from the second profile"], null, secondProfile);
        var unknownProfile = await alice.RunAsync("whoami", "--profile", "third");

        Assert.True(registerAlice.ExitCode == 0 && registerBob.ExitCode == 0, registerAlice + "\n" + registerBob);
        Assert.True(loginAlice.ExitCode == 0 && loginBob.ExitCode == 0, loginAlice + "\n" + loginBob);
        Assert.StartsWith($"{alice.Name} on {server.BaseUri}", whoDefault.Stdout, StringComparison.Ordinal);
        Assert.StartsWith($"{bobName} on {server.BaseUri}", whoSecond.Stdout, StringComparison.Ordinal);
        Assert.Contains(Path.Combine("parley", "profiles", "second.json"), whoSecond.Stdout, StringComparison.Ordinal);
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.Contains($"conv=d:{alice.Name}:{bobName}", sent.Stdout, StringComparison.Ordinal);
        Assert.Equal(5, unknownProfile.ExitCode);
        Assert.Contains("profile 'third' is not logged in", unknownProfile.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_help_tell_the_version_exit_codes_config_file_and_environment()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);

        var version = await alice.RunAsync("--version");
        var help = await alice.RunAsync("--help");

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(Version(), version.Stdout);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains(alice.ConfigFile, help.Stdout, StringComparison.Ordinal);
        Assert.Contains("PARLEY_SERVER", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("PARLEY_PROFILE", help.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+3\s+the server could not be reached\n", help.Stdout);
        Assert.Contains("whoami", help.Stdout, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+")]
    private static partial Regex Version();
}

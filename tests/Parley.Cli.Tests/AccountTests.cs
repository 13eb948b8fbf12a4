using Parley.Cli.Tests.Support;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class AccountTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Login_keeps_the_token_server_and_device_in_the_XDG_config_directory_readable_by_the_owner_only()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);

        var registered = await alice.RegisterAsync();
        var loggedIn = await alice.LoginAsync();

        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Contains($"registered {alice.Name}", registered.Stdout, StringComparison.Ordinal);
        Assert.True(loggedIn.ExitCode == 0, loggedIn.ToString());
        var config = await File.ReadAllTextAsync(alice.ConfigFile);
        Assert.Contains("\"token\"", config, StringComparison.Ordinal);
        Assert.Contains("\"deviceId\"", config, StringComparison.Ordinal);
        Assert.Contains(server.BaseUri.AbsoluteUri, config, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(alice.ConfigFile));
    }

    [Fact]
    public async Task A_taken_username_is_refused_with_its_own_exit_code()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);
        await alice.RegisterAsync();

        var again = await alice.RegisterAsync();

        Assert.Equal(7, again.ExitCode);
        Assert.Contains("is taken", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_says_so_and_keeps_no_token()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);
        await alice.RegisterAsync();

        var result = await alice.RunAsync("login", alice.Name, "--password", "not the password", "--server", server.BaseUri.AbsoluteUri);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("wrong username or password", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(alice.ConfigFile));
    }

    [Fact]
    public async Task A_command_before_login_asks_to_log_in()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);

        var result = await alice.RunAsync("send", "bob", "hi");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("not logged in", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_revokes_the_token_on_the_server_and_forgets_it()
    {
        using var alice = await new CliUser(CliUser.NewName("alice"), server.BaseUri).SignUpAsync();
        var saved = await File.ReadAllTextAsync(alice.ConfigFile);

        var logout = await alice.RunAsync("logout");
        var afterLogout = await alice.RunAsync("convs");
        await File.WriteAllTextAsync(alice.ConfigFile, saved);
        var withRevokedToken = await alice.RunAsync("convs");

        Assert.True(logout.ExitCode == 0, logout.ToString());
        Assert.Equal(5, afterLogout.ExitCode);
        Assert.Equal(4, withRevokedToken.ExitCode);
        Assert.Contains("parley login", withRevokedToken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_is_down_is_reported_clearly_and_at_once()
    {
        var down = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        using var alice = new CliUser(CliUser.NewName("alice"), down);

        var register = await alice.RegisterAsync();
        using var bob = await new CliUser(CliUser.NewName("bob"), server.BaseUri).SignUpAsync();
        var send = await bob.RunAsync("send", bob.Name, "hi", "--server", down.AbsoluteUri);

        Assert.Equal(3, register.ExitCode);
        Assert.StartsWith($"parley: cannot reach the Parley server at {down.AbsoluteUri}: ", register.Stderr, StringComparison.Ordinal);
        Assert.Single(register.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, send.ExitCode);
        Assert.StartsWith($"parley: cannot reach the Parley server at {down.AbsoluteUri}: ", send.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_usage_exits_with_the_usage_code()
    {
        using var alice = new CliUser(CliUser.NewName("alice"), server.BaseUri);

        var unknown = await alice.RunAsync("frobnicate");
        var badServer = await alice.RunAsync(["register", alice.Name, "--password-stdin", "--server", "not a url"], CliUser.Password + "\n");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Equal(2, badServer.ExitCode);
        Assert.Contains("--server", badServer.Stderr, StringComparison.Ordinal);
    }
}

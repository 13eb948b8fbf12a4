using System.Text.RegularExpressions;
using Parley.Client.Http;
using Parley.Client.Tests.Support;
using Parley.Protocol;
using Parley.Testing;

namespace Parley.Client.Tests.EndToEnd;

// The README's quick start, as a new user pastes it: it must run, and run again (the users exist by then).
public sealed partial class ReadmeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string ReadmeServer = "new Uri(\"http://127.0.0.1:8080\")";

    [Fact]
    public async Task The_readme_quick_start_runs_twice_against_the_same_server()
    {
        var first = await QuickStartAsync(fixture.BaseUri).Within(TimeSpan.FromSeconds(60));
        var second = await QuickStartAsync(fixture.BaseUri).Within(TimeSpan.FromSeconds(60));

        Assert.Equal("hello bob", first);
        Assert.Equal("hello bob", second);
    }

    [Fact]
    public async Task The_code_run_here_is_the_readmes_snippet()
    {
        var root = RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var test = await File.ReadAllTextAsync(Path.Combine(root, "tests", "Parley.Client.Tests", "EndToEnd", "ReadmeTests.cs"));

        var inReadme = Lines(ReadmeSnippet().Match(readme).Groups["code"].Value);
        var inTest = Lines(TestSnippet().Match(test).Groups["code"].Value.Replace("new Uri(server.AbsoluteUri)", ReadmeServer, StringComparison.Ordinal));

        Assert.NotEmpty(inReadme);
        Assert.Equal(inReadme, inTest);
    }

    private static async Task<string?> QuickStartAsync(Uri server)
    {
        // snippet start
        using var http = new ParleyHttpClient(new Uri(server.AbsoluteUri));
        foreach (var name in new[] { "alice", "bob" })
        {
            try { await http.RegisterAsync(name, "password1"); }
            catch (ParleyException e) when (e.Code == ErrorCodes.Conflict) { }   // registered by an earlier run
        }
        var received = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var bob = new ParleyClient(new() { ServerUri = http.ServerUri, Token = (await http.LoginAsync("bob", "password1")).Token });
        bob.MessageReceived += (m, _) => { if (m.From == "alice") received.TrySetResult(m.Text); return ValueTask.CompletedTask; };
        await using var alice = new ParleyClient(new() { ServerUri = http.ServerUri, Token = (await http.LoginAsync("alice", "password1")).Token });
        await bob.ConnectAsync(); await alice.ConnectAsync();
        await alice.SendTextAsync("bob", "hello bob");           // returns once stored: the single tick
        var got = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Console.WriteLine($"bob got: {got}");                   // bob got: hello bob
        // snippet end
        return got;
    }

    private static string[] Lines(string code) =>
        [.. code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Parley.slnx not found");
    }

    [GeneratedRegex(@"<!-- snippet: quick-start[^\n]*\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ReadmeSnippet();

    [GeneratedRegex(@"// snippet start\n(?<code>.*?)// snippet end", RegexOptions.Singleline)]
    private static partial Regex TestSnippet();
}

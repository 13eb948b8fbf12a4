using System.Diagnostics;
using Parley.Testing;

namespace Parley.Cli.Tests.Support;

/// <summary>
/// One user of the built <c>parley</c> command: its own XDG_CONFIG_HOME (so its own login), every run a child process
/// bounded by a timeout after which it is killed and the test fails with what it printed.
/// </summary>
public sealed class CliUser : IDisposable
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);
    public const string Password = "a long password";

    public CliUser(string name, Uri server)
    {
        Name = name;
        Server = server;
        ConfigHome = Directory.CreateTempSubdirectory("parley-cli-test-").FullName;
    }

    /// <summary>A fresh username from a prefix, valid for the protocol (a-z, 0-9, _; at most 32).</summary>
    public static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    public string Name { get; }

    public Uri Server { get; }

    public string ConfigHome { get; }

    public string ConfigFile => Path.Combine(ConfigHome, "parley", "config.json");

    /// <summary>Runs <c>parley args...</c> with <c>--server</c> only where given (the login keeps it).</summary>
    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);

    public async Task<CliResult> RunAsync(IEnumerable<string> args, string? stdin, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, stdin, environment);
        var (exit, stdout, stderr) = await ProcessRun.ToEndAsync(process, RunTimeout, $"parley {string.Join(' ', args)}");
        return new CliResult(exit, stdout, stderr);
    }

    /// <summary>Starts <c>parley</c> without waiting; the caller reads its output and waits (bounded) for its exit.</summary>
    public Process Start(IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ParleyDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["XDG_CONFIG_HOME"] = ConfigHome;
        // The developer's own settings must not leak into a test.
        psi.Environment.Remove("PARLEY_SERVER");
        psi.Environment.Remove("PARLEY_PROFILE");
        if (environment is not null) foreach (var (name, value) in environment) psi.Environment[name] = value;
        psi.WorkingDirectory = ConfigHome;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start parley");
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return process;
    }

    public Task<CliResult> RegisterAsync() =>
        RunAsync(["register", Name, "--password-stdin", "--server", Server.AbsoluteUri], Password + "\n");

    public Task<CliResult> LoginAsync() =>
        RunAsync(["login", Name, "--password-stdin", "--server", Server.AbsoluteUri], Password + "\n");

    /// <summary>Registers and logs in, failing the test if either fails.</summary>
    public async Task<CliUser> SignUpAsync()
    {
        var registered = await RegisterAsync();
        Assert.True(registered.ExitCode == 0, registered.ToString());
        var loggedIn = await LoginAsync();
        Assert.True(loggedIn.ExitCode == 0, loggedIn.ToString());
        return this;
    }

    public void Dispose()
    {
        try { Directory.Delete(ConfigHome, recursive: true); }
        catch (IOException) { /* a leftover temporary directory is harmless */ }
    }

    /// <summary>The folder of Parley.slnx, found above the test's own output.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The build configuration of this run (the CLI is built in the same one).</summary>
    public static string Configuration => AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The built CLI; <c>PARLEY_TEST_CLI_DLL</c> points the suite at another build (to check that a test fails on older code).</summary>
    public static string ParleyDll
    {
        get
        {
            if (Environment.GetEnvironmentVariable("PARLEY_TEST_CLI_DLL") is { Length: > 0 } other) return other;
            var dll = Path.Combine(RepositoryRoot, "tools", "Parley.Cli", "bin", Configuration, "net10.0", "parley.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build tools/Parley.Cli first", dll);
        }
    }
}

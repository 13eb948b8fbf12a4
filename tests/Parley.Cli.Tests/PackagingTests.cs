using System.Diagnostics;
using Parley.Cli.Tests.Support;
using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class PackagingTests
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task The_cli_packs_as_a_dotnet_tool_that_installs_from_the_folder_and_runs()
    {
        var repo = CliUser.RepositoryRoot;
        var configuration = CliUser.Configuration;
        var work = Directory.CreateTempSubdirectory("parley-pack-test-").FullName;
        try
        {
            var packages = Path.Combine(work, "artifacts");
            // Only the folder as a source, and a package cache of its own: what is installed is what was just packed.
            await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="artifacts" value="{packages}" />
                  </packageSources>
                </configuration>
                """);
            var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(work, "cache") };

            var pack = await RunAsync("dotnet", ["pack", Path.Combine(repo, "tools", "Parley.Cli"), "--no-build", "-c", configuration, "-o", packages], work, environment);
            var install = await RunAsync("dotnet", ["tool", "install", "--tool-path", Path.Combine(work, "bin"), "--configfile", Path.Combine(work, "nuget.config"), "Parley.Cli"], work, environment);
            var version = await RunAsync(Path.Combine(work, "bin", "parley"), ["--version"], work, environment);
            var whoami = await RunAsync(Path.Combine(work, "bin", "parley"), ["whoami"], work, new Dictionary<string, string>(environment) { ["XDG_CONFIG_HOME"] = work });

            Assert.True(pack.ExitCode == 0, pack.ToString());
            Assert.Single(Directory.GetFiles(packages, "Parley.Cli.*.nupkg"));
            Assert.True(install.ExitCode == 0, install.ToString());
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);
            Assert.Equal(5, whoami.ExitCode);
            Assert.Contains("not logged in", whoami.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<CliResult> RunAsync(string file, IEnumerable<string> args, string directory, IReadOnlyDictionary<string, string> environment)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + file);
        process.StandardInput.Close();
        var (exit, stdout, stderr) = await ProcessRun.ToEndAsync(process, StepTimeout, $"{file} {string.Join(' ', args)}");
        return new CliResult(exit, stdout, stderr);
    }
}

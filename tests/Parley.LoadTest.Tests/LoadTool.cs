using System.Diagnostics;
using Parley.Testing;

namespace Parley.LoadTest.Tests;

/// <summary>Runs parley-loadtest as a process, the way a user does, bounded.</summary>
internal static class LoadTool
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    public static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(LoadTestDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start parley-loadtest");
        var (exit, stdout, stderr) = await ProcessRun.ToEndAsync(process, RunTimeout, "parley-loadtest");
        return (exit, $"exit {exit}\n{stdout}\n{stderr}");
    }

    private static string LoadTestDll
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
            return Path.Combine(dir.FullName, "tools", "Parley.LoadTest", "bin", configuration, "net10.0", "parley-loadtest.dll");
        }
    }
}

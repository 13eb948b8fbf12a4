using System.Diagnostics;

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
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(RunTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"parley-loadtest did not end within {RunTimeout}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, $"exit {process.ExitCode}\n{await stdout}\n{await stderr}");
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

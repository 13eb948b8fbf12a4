using System.Diagnostics;

namespace Parley.Testing;

/// <summary>Runs a helper program to completion, failing with its output when it fails.</summary>
internal static class ChildProcess
{
    public static async Task RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', psi.ArgumentList)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        }
    }

    /// <summary>
    /// Runs <paramref name="cleanup"/> (a shell command) once this test process is gone, however it ends: the
    /// test host may be killed before its exit handlers finish, and a helper server must not outlive the run.
    /// </summary>
    public static void CleanUpAfterExit(string cleanup)
    {
        var watchdog = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {cleanup}";
        using var process = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", watchdog]) { UseShellExecute = false });
    }

    /// <summary>Starts a long-running helper; the caller kills it.</summary>
    public static Process Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

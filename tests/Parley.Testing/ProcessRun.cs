using System.Diagnostics;

namespace Parley.Testing;

/// <summary>Waits for a started program with redirected output, bounded, the way the tests run the CLI and the load tool.</summary>
public static class ProcessRun
{
    /// <summary>
    /// Reads <paramref name="process"/>'s output to its exit; past <paramref name="timeout"/> the process tree is killed and a
    /// <see cref="TimeoutException"/> names <paramref name="what"/> with the output so far.
    /// </summary>
    public static async Task<(int Exit, string Stdout, string Stderr)> ToEndAsync(Process process, TimeSpan timeout, string what)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{what} did not end within {timeout}:\n{await stdout}\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}

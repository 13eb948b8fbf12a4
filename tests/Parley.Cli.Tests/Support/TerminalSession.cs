using System.Diagnostics;
using System.Text;

namespace Parley.Cli.Tests.Support;

/// <summary>
/// <c>parley</c> in a pseudo-terminal (util-linux <c>script</c>), for the interactive chat: keys go in through standard
/// input, the screen comes out through standard output, and waits are for text on the screen, each bounded.
/// </summary>
public sealed class TerminalSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _screen = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];
    private Task _output = Task.CompletedTask;

    private TerminalSession(Process process)
    {
        _process = process;
    }

    public static TerminalSession Start(CliUser user, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", CliUser.ParleyDll }.Concat(args).Select(Quote));
        var psi = new ProcessStartInfo("script")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--quiet", "--flush", "--return", "--command", $"stty cols 100 rows 30; exec {command}", "/dev/null" }) psi.ArgumentList.Add(a);
        psi.Environment["XDG_CONFIG_HOME"] = user.ConfigHome;
        psi.Environment["TERM"] = "xterm-256color";
        var session = new TerminalSession(Process.Start(psi) ?? throw new InvalidOperationException("could not start script"));
        session._output = Task.WhenAll(session.ReadAsync(session._process.StandardOutput), session.ReadAsync(session._process.StandardError));
        return session;
    }

    public string Screen
    {
        get { lock (_screen) return _screen.ToString(); }
    }

    public async Task TypeAsync(string keys)
    {
        await _process.StandardInput.WriteAsync(keys);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Completes when <paramref name="text"/> has been drawn (already drawn counts).</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_screen)
        {
            if (_screen.ToString().Contains(text, StringComparison.Ordinal)) return;
            _awaited.Add((text, seen));
        }
        try
        {
            await seen.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"'{text}' was not drawn within {timeout}; the screen:\n{Screen}");
        }
    }

    /// <summary>The exit code, once the process has exited and everything it wrote is on <see cref="Screen"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        // The process can be reaped before the readers have taken its last output from the pipes: the screen is whole only
        // when both reach the end of their stream.
        await Task.WhenAll(_process.WaitForExitAsync(), _output).WaitAsync(timeout);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private async Task ReadAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_screen)
            {
                _screen.Append(buffer, 0, read);
                var text = _screen.ToString();
                foreach (var (awaited, seen) in _awaited)
                {
                    if (text.Contains(awaited, StringComparison.Ordinal)) seen.TrySetResult();
                }
            }
        }
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

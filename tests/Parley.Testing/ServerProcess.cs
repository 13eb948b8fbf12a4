using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Parley.Testing;

/// <summary>
/// The real Parley server in a child process, listening on 127.0.0.1 at a port the kernel picks.
/// Start it on a data directory, stop it gracefully, kill it with SIGKILL, start it again on the same data.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly bool _ownsDataDir;
    private readonly List<string> _output = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaitedOutput = [];

    private ServerProcess(Process process, Uri baseUri, string dataDir, bool ownsDataDir, IReadOnlyList<string> args,
        IReadOnlyDictionary<string, string>? environment)
    {
        _process = process;
        BaseUri = baseUri;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Arguments = args;
        Environment = environment;
    }

    /// <summary>The server's HTTP base, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUri { get; }

    /// <summary>The WebSocket endpoint, ws://127.0.0.1:PORT/v1/ws (wss:// when the server listens on HTTPS).</summary>
    public Uri WebSocketUri => new($"{(BaseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{BaseUri.Authority}/v1/ws");

    /// <summary>Where the server keeps its database and media.</summary>
    public string DataDir { get; }

    /// <summary>The extra arguments it was started with (configuration overrides).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The environment variables it was started with besides the inherited ones (runtime settings).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; }

    /// <summary>The process id.</summary>
    public int Pid => _process.Id;

    /// <summary>What the server printed so far (stdout and stderr), for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>Starts a server. Without <paramref name="dataDir"/> it gets a fresh temporary one, removed on dispose.</summary>
    /// <param name="dataDir">The data directory to use (kept on dispose), or null.</param>
    /// <param name="args">Extra command-line arguments, e.g. <c>--Parley:Delivery:AckTimeout=00:00:01</c>.</param>
    /// <param name="environment">Environment variables for the server process besides the inherited ones (runtime settings), or null.</param>
    /// <param name="cancellationToken">Cancels the wait for start-up.</param>
    public static async Task<ServerProcess> StartAsync(string? dataDir = null, IEnumerable<string>? args = null,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var ownsDataDir = dataDir is null;
        dataDir ??= Directory.CreateTempSubdirectory("parley-test-").FullName;
        var extra = args?.ToList() ?? [];
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(ServerDll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");
        psi.ArgumentList.Add("--data");
        psi.ArgumentList.Add(dataDir);
        // Tests drive many users from one address and send in bursts: rate limits are off unless a test turns them on
        // (a later --Parley:RateLimits:Enabled=true wins).
        psi.ArgumentList.Add("--Parley:RateLimits:Enabled=false");
        // Password hashes cost what the production setting asks (600,000 iterations: a quarter of a second of a core here);
        // the suites register and log in thousands of users, so they hash cheaply unless a test asks otherwise.
        psi.ArgumentList.Add("--Parley:Auth:PasswordIterations=1000");
        foreach (var a in extra) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["Logging__Console__FormatterName"] = "simple";
        if (environment is not null)
        {
            foreach (var (name, value) in environment) psi.Environment[name] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the server");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (output) output.Add(line);
            var m = ListeningLine().Match(line);
            if (m.Success) listening.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
        }
        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        // Exited can be raised before the last lines of output are read (they say why it stopped): wait for them first.
        process.Exited += (_, _) => _ = process.WaitForExitAsync().ContinueWith(
            _ => listening.TrySetException(new InvalidOperationException("the server exited during start-up:\n" + Joined(output))),
            TaskScheduler.Default);

        Uri baseUri;
        try
        {
            baseUri = await listening.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw;
        }
        var server = new ServerProcess(process, baseUri, dataDir, ownsDataDir, extra, environment);
        lock (output) server._output.AddRange(output);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) server.OnOutput(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server.OnOutput(e.Data); };
        try
        {
            await server.WaitHealthyAsync(cancellationToken);
        }
        catch
        {
            // A server that never became healthy is not left running (nor its temporary data).
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Completes when the server prints a line containing <paramref name="text"/> (already printed counts).</summary>
    public Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal))) return Task.CompletedTask;
            _awaitedOutput.Add((text, seen));
        }
        return seen.Task.WaitAsync(timeout);
    }

    private void OnOutput(string line)
    {
        lock (_output)
        {
            _output.Add(line);
            foreach (var (text, seen) in _awaitedOutput)
            {
                if (line.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
            }
        }
    }

    /// <summary>Starts another server on this one's data directory and arguments (after a stop or a kill).</summary>
    public Task<ServerProcess> RestartAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited) throw new InvalidOperationException("stop or kill the server first");
        return StartAsync(DataDir, Arguments, Environment, cancellationToken);
    }

    /// <summary>Kills the process at once (SIGKILL): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Asks the process to stop (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw new InvalidOperationException("the server did not stop within 30 s of SIGTERM:\n" + Output);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
            if (_ownsDataDir)
            {
                try { Directory.Delete(DataDir, recursive: true); }
                catch (IOException) { /* a leftover temp directory is harmless */ }
            }
        }
    }

    /// <summary>An HTTP client for this server; over HTTPS it accepts the server's (test, self-signed) certificate.</summary>
    public HttpClient CreateHttpClient()
    {
        // The handler is owned by the client (disposed with it).
#pragma warning disable CA2000
        var handler = new HttpClientHandler();
#pragma warning restore CA2000
        if (BaseUri.Scheme == Uri.UriSchemeHttps) handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        return new HttpClient(handler) { BaseAddress = BaseUri };
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = CreateHttpClient();
        http.Timeout = TimeSpan.FromSeconds(5);
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("healthz", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
                // Not listening yet, or too busy to answer within the request timeout on a loaded machine.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the server never answered /healthz:\n" + Output);
            // Start-up is a one-off external process: polling its health endpoint is the only signal it gives.
            await Task.Delay(50, cancellationToken);
        }
    }

    private static string Joined(List<string> lines)
    {
        lock (lines) return string.Join('\n', lines);
    }

    private static string ServerDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Parley.slnx"))) dir = dir.Parent;
            if (dir is null) throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
            var configuration = AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
            var dll = Path.Combine(dir.FullName, "src", "Parley.Server", "bin", configuration, "net10.0", "Parley.Server.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Parley.Server first", dll);
        }
    }

    [GeneratedRegex(@"Now listening on: (https?://\S+)")]
    private static partial Regex ListeningLine();
}

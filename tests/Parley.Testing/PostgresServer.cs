using Npgsql;

namespace Parley.Testing;

/// <summary>
/// A private PostgreSQL server for the test run (Debian's postgresql package, started from a fresh data
/// directory on a free port, as the postgres user), and a fresh database per caller.
/// </summary>
public sealed class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? s_shared;

    private PostgresServer(string dataDir, int port)
    {
        DataDir = dataDir;
        Port = port;
    }

    public string DataDir { get; }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>The run's server, started on first use and stopped when the test process exits.</summary>
    public static async Task<PostgresServer> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return s_shared ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "parley_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await cmd.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var binDir = versions.Select(v => Path.Combine(v, "bin")).FirstOrDefault(b => File.Exists(Path.Combine(b, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed: run `bash .ci/run` (it installs Debian's postgresql)");
        var dataDir = Path.Combine(Path.GetTempPath(), "parley-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataDir);
        await ChildProcess.RunAsync("chown", ["postgres:postgres", dataDir], TimeSpan.FromSeconds(10));
        await AsPostgresAsync(binDir, "initdb", ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync"], TimeSpan.FromMinutes(2));
        var port = FreePorts.Next();
        await AsPostgresAsync(binDir, "pg_ctl", ["-D", dataDir, "-w", "-t", "60", "-l", Path.Combine(dataDir, "log"),
            "-o", $"-p {port} -k {dataDir} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"], TimeSpan.FromMinutes(2));
        ChildProcess.CleanUpAfterExit($"runuser -u postgres -- {Path.Combine(binDir, "pg_ctl")} -D {dataDir} -m immediate stop; rm -rf {dataDir}");
        return new PostgresServer(dataDir, port);
    }

    private static Task AsPostgresAsync(string binDir, string tool, IEnumerable<string> args, TimeSpan timeout) =>
        ChildProcess.RunAsync("runuser", new[] { "-u", "postgres", "--", Path.Combine(binDir, tool) }.Concat(args), timeout);
}

using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Benchmarks;

/// <summary>
/// Direct messages through the group-commit writer into a real SQLite file (WAL), <see cref="Burst"/> queued at once
/// (as many connections sending together do): a burst shares transactions, a burst of 1 pays a commit per message.
/// One operation is one message (a message row and two inbox rows).
/// </summary>
[MemoryDiagnoser]
public class CommitWriterBenchmarks
{
    private string _dir = "";
    private SqliteStore _store = null!;
    private long _next;
    private readonly byte[] _body = "\"hello there, this is a benchmark message of about a hundred bytes, more or less.....\""u8.ToArray();

    [Params(1, 64)]
    public int Burst { get; set; }

    [Params(Durability.Normal, Durability.Full)]
    public Durability Durability { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _dir = Directory.CreateTempSubdirectory("parley-bench-").FullName;
        _store = new SqliteStore(Options.Create(new StorageOptions { Durability = Durability }), Options.Create(new DataDirectoryOptions { DataDir = _dir }),
            NullLogger<SqliteStore>.Instance);
        await _store.StartAsync(default);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var user in new[] { "alice", "bob" }) await _store.CreateUserAsync(new NewUser(user, user, "x", now), default);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.StopAsync(default);
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task AppendDirect()
    {
        // 64 messages per invocation in every configuration, so the per-message figures compare.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var pending = new Task<AppendResult>[Burst];
        for (var done = 0; done < 64; done += Burst)
        {
            for (var i = 0; i < Burst; i++)
            {
                var k = ++_next;
                pending[i] = await _store.EnqueueAppendAsync(new NewMessage(k.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                    "d:alice:bob", (k & 1) == 0 ? "alice" : "bob", ["alice", "bob"], "c" + k.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "text", _body, now, null), default);
            }
            await Task.WhenAll(pending);
        }
    }
}

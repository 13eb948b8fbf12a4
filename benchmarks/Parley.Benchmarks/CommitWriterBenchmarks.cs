using BenchmarkDotNet.Attributes;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage;

namespace Parley.Benchmarks;

/// <summary>
/// Direct messages through the group-commit writer into a real SQLite file (WAL), <see cref="Burst"/> queued at once
/// (as many connections sending together do): a burst shares transactions, a burst of 1 pays a commit per message.
/// One operation is one message (a message row and two inbox rows).
/// </summary>
[MemoryDiagnoser]
public class CommitWriterBenchmarks
{
    private TempSqliteStore _temp = null!;
    private long _next;
    private readonly byte[] _body = "\"hello there, this is a benchmark message of about a hundred bytes, more or less.....\""u8.ToArray();

    [Params(1, 64)]
    public int Burst { get; set; }

    [Params(Durability.Normal, Durability.Full)]
    public Durability Durability { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _temp = await TempSqliteStore.StartAsync(Durability);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var user in new[] { "alice", "bob" }) await _temp.Store.CreateUserAsync(new NewUser(user, user, "x", now), default);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _temp.DisposeAsync();
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
                pending[i] = await _temp.Store.EnqueueAppendAsync(new NewMessage(k.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                    "d:alice:bob", (k & 1) == 0 ? "alice" : "bob", ["alice", "bob"], "c" + k.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "text", _body, now, null), default);
            }
            await Task.WhenAll(pending);
        }
    }
}

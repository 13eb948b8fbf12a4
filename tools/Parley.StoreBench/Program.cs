using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage;
using Parley.Storage.Sqlite;

// Usage: dotnet run -c Release --project tools/Parley.StoreBench -- [messages] [sweepBatch]
// Appends N already-expired direct messages through the group-commit writer (SQLite, default durability),
// then sweeps them; prints both rates and their ratio (measured in the same run, on the same machine).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000;
var dir = Directory.CreateTempSubdirectory("parley-storebench-").FullName;
var store = new SqliteStore(Options.Create(new StorageOptions()), Options.Create(new DataDirectoryOptions { DataDir = dir }), NullLogger<SqliteStore>.Instance);
await store.StartAsync(default);
try
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    foreach (var user in new[] { "alice", "bob" }) await store.CreateUserAsync(new NewUser(user, user, "x", now), default);

    var clock = Stopwatch.StartNew();
    var pending = new List<Task<AppendResult>>(count);
    for (var i = 0; i < count; i++)
    {
        var message = new NewMessage(Guid.NewGuid().ToString("N"), "d:alice:bob", i % 2 == 0 ? "alice" : "bob", ["alice", "bob"],
            $"c{i}", "text", "\"hello there\""u8.ToArray(), now - 10_000, 1);
        pending.Add(await store.EnqueueAppendAsync(message, default));
    }
    await Task.WhenAll(pending);
    var appendRate = count / clock.Elapsed.TotalSeconds;

    clock.Restart();
    int swept = 0, deleted;
    do
    {
        deleted = await store.SweepExpiredAsync(now, batch, default);
        swept += deleted;
    }
    while (deleted == batch);
    var sweepRate = swept / clock.Elapsed.TotalSeconds;

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"messages: {count}; committed {appendRate:F0}/s (a message row and two inbox rows each); swept {swept} at {sweepRate:F0}/s (batch {batch}); sweep/commit = {sweepRate / appendRate:F2}"));
}
finally
{
    await store.StopAsync(default);
    Directory.Delete(dir, recursive: true);
}

using BenchmarkDotNet.Attributes;
using Parley.Core.Messages;
using Parley.Core.Users;
using Parley.Storage;

namespace Parley.Benchmarks;

/// <summary>
/// Everything the writer does for one direct message on the pairs path, through a real SQLite file (WAL): the append,
/// the recipient's ack (which moves the delivered marker and writes the sender's receipt) and the sender's ack of its
/// echo and the receipt. <see cref="Burst"/> messages, each in its own pair of users, are queued at once per step.
/// </summary>
[MemoryDiagnoser]
public class DirectRoundTripBenchmarks
{
    private const int Pairs = 64;
    private TempSqliteStore _temp = null!;
    private long _next;
    private readonly byte[] _body = "\"hello there, this is a benchmark message of about a hundred bytes, more or less.....\""u8.ToArray();

    [Params(1, 64)]
    public int Burst { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _temp = await TempSqliteStore.StartAsync(Durability.Normal);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < 2 * Pairs; i++)
        {
            var user = User(i);
            await _temp.Store.CreateUserAsync(new NewUser(user, user, "x", now), default);
            await _temp.Store.CreateDeviceAsync(new NewDevice(user, user, "bench", [(byte)i, 1], now, now + 86_400_000), default);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _temp.DisposeAsync();
    }

    private static string User(int i) => "u" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Benchmark(OperationsPerInvoke = 64)]
    public async Task SendAndAcks()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var appends = new Task<AppendResult>[Burst];
        var acks = new Task<Core.Inbox.MarkerResult>[Burst];
        var senders = new string[Burst];
        for (var done = 0; done < 64; done += Burst)
        {
            for (var i = 0; i < Burst; i++)
            {
                var k = ++_next;
                var pair = (int)(k % Pairs);
                var (a, b) = (User(2 * pair), User(2 * pair + 1)); // same number of digits: a sorts first
                var (sender, recipient) = (k / Pairs & 1) == 0 ? (a, b) : (b, a);
                var conv = "d:" + a + ":" + b;
                senders[i] = sender;
                appends[i] = await _temp.Store.EnqueueAppendAsync(new NewMessage(k.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
                    conv, sender, [sender, recipient], "c" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), "text", _body, now, null), default);
            }
            await Task.WhenAll(appends);
            for (var i = 0; i < Burst; i++)
            {
                var delivery = (await appends[i]).Writes.Single(w => w.User != senders[i]);
                acks[i] = _temp.Store.AckAsync(new Username(delivery.User), delivery.User, delivery.Entry.Seq, default);
            }
            await Task.WhenAll(acks);
            for (var i = 0; i < Burst; i++)
            {
                // The sender acks its echo and the receipt the recipient's ack wrote (when one was owed).
                var echo = (await appends[i]).Writes.Single(w => w.User == senders[i]).Entry.Seq;
                var head = (await acks[i]).Writes.Select(w => w.Entry.Seq).DefaultIfEmpty(echo).Max();
                acks[i] = _temp.Store.AckAsync(new Username(senders[i]), senders[i], head, default);
            }
            await Task.WhenAll(acks);
        }
    }
}

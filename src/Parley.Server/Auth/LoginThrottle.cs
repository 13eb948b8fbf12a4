using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Parley.Server.Auth;

/// <summary>
/// Backoff on failed logins, per username: PBKDF2 makes a login cheap to ask for and dear to answer, and the per-address
/// limit does not stop guesses spread over many addresses. After <c>FreeLoginFailures</c> failures in a row, each further
/// failure locks the name for a doubling time; a locked name is refused before any hash is computed.
/// A login that carries a valid token of the same user is counted under its device instead, so that someone guessing
/// a user's password cannot lock the user's own devices out (and a thief holding a token only locks that token).
/// Per node, in memory, bounded: a cluster of N nodes behind a balancer allows N times the guesses.
/// </summary>
internal sealed class LoginThrottle : IDisposable
{
    // Names (and devices) remembered at once; past it the least recently used are forgotten.
    private const int MaxTracked = 100_000;
    private readonly MemoryCache _failures = new(new MemoryCacheOptions { SizeLimit = MaxTracked });
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;

    public LoginThrottle(IOptions<AuthOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
    }

    /// <summary>The key of logins without a token of the user.</summary>
    public static string ForName(string username) => "u:" + username;

    /// <summary>The key of logins (and account deletions) that carry a valid token of the user.</summary>
    public static string ForDevice(string deviceId) => "d:" + deviceId;

    /// <summary>How long <paramref name="key"/> stays locked; null when it may try now.</summary>
    public TimeSpan? LockedFor(string key)
    {
        if (!_failures.TryGetValue(key, out Failures? failures) || failures is null) return null;
        lock (failures)
        {
            var left = failures.LockedUntil - _time.GetUtcNow();
            return left > TimeSpan.Zero ? left : null;
        }
    }

    public void Failed(string key)
    {
        var failures = _failures.GetOrCreate(key, entry =>
        {
            entry.Size = 1;
            // Failures are forgotten after a quiet longest lock: the next one starts again from the free ones.
            entry.SlidingExpiration = _options.MaxLoginBackoff;
            return new Failures();
        })!;
        lock (failures)
        {
            failures.Count++;
            var beyond = failures.Count - _options.FreeLoginFailures;
            if (beyond < 0) return;
            var backoff = _options.LoginBackoff * Math.Pow(2, Math.Min(beyond, 30));
            failures.LockedUntil = _time.GetUtcNow() + (backoff < _options.MaxLoginBackoff ? backoff : _options.MaxLoginBackoff);
        }
    }

    public void Succeeded(string key) => _failures.Remove(key);

    public void Dispose() => _failures.Dispose();

    private sealed class Failures
    {
        public int Count { get; set; }

        public DateTimeOffset LockedUntil { get; set; }
    }
}

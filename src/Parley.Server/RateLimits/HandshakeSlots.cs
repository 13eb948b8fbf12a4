using Microsoft.Extensions.Options;
using Parley.Server.Gateway;

namespace Parley.Server.RateLimits;

/// <summary>
/// Sockets that have not said <c>hello</c> yet, per client address. Before its hello a socket is anonymous and holds its
/// buffers for up to <c>HelloTimeout</c>; without a cap one address could hold any number of them. Past
/// <c>MaxPendingHandshakesPerAddress</c> the upgrade is refused with 429. Like the other per-address limits it is off
/// when <c>Parley:RateLimits:Enabled</c> is false (load tests drive thousands of sockets from one address).
/// </summary>
internal sealed class HandshakeSlots(IOptions<GatewayOptions> options, IOptions<RateLimitOptions> rateLimits)
{
    private readonly int _perAddress = rateLimits.Value.Enabled ? options.Value.MaxPendingHandshakesPerAddress : int.MaxValue;
    private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);

    /// <summary>Takes a slot for <paramref name="address"/>, given back when disposed (once); null when it has none left.</summary>
    public IDisposable? TryEnter(string address)
    {
        lock (_pending)
        {
            var count = _pending.GetValueOrDefault(address);
            if (count >= _perAddress) return null;
            _pending[address] = count + 1;
        }
        return new Slot(this, address);
    }

    private void Exit(string address)
    {
        lock (_pending)
        {
            var count = _pending.GetValueOrDefault(address) - 1;
            if (count <= 0) _pending.Remove(address);
            else _pending[address] = count;
        }
    }

    /// <summary>One pending socket's slot: disposed when its handshake is over (welcomed, refused or gone), and again harmlessly.</summary>
    private sealed class Slot(HandshakeSlots slots, string address) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) slots.Exit(address);
        }
    }
}

using System.Collections.Concurrent;
using Parley.Core.Load;

namespace Parley.Grains.Tests;

/// <summary>The load level the grains read, set by the test (level 0 unless a test raises it); counts what was shed.</summary>
public sealed class SettableLoad : ILoadLevel
{
    private volatile LoadLevel _current = LoadLevel.Normal;

    public LoadLevel Current
    {
        get => _current;
        set => _current = value;
    }

    public TimeSpan SlowReceiptInterval { get; set; } = TimeSpan.FromSeconds(1);

    public ConcurrentDictionary<string, int> Shed { get; } = new(StringComparer.Ordinal);

    public void CountShed(string kind) => Shed.AddOrUpdate(kind, 1, (_, n) => n + 1);
}

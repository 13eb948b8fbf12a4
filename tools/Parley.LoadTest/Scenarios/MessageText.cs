using System.Globalization;

namespace Parley.LoadTest.Scenarios;

/// <summary>
/// The text the load messages carry: "&lt;run&gt; &lt;k&gt; &lt;sender index&gt; &lt;stopwatch timestamp&gt; xxx…", padded to the
/// body size. Sender and receiver run in this process, so the timestamp gives send→delivery without clock questions.
/// Accounts are reused across runs and a new device may be handed older messages: the run id tells them apart.
/// </summary>
public static class MessageText
{
    /// <summary>This process's run.</summary>
    public static readonly string Run = Guid.NewGuid().ToString("N")[..8];

    public static string Create(long k, int sender, long timestamp, int size)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{Run} {k} {sender} {timestamp} ");
        return head.Length >= size ? head : head + new string('x', size - head.Length);
    }

    /// <summary>Reads a message of this run; false for anything else (an earlier run's message included).</summary>
    public static bool TryParse(string text, out long k, out int sender, out long timestamp)
    {
        k = 0;
        sender = 0;
        timestamp = 0;
        var span = text.AsSpan();
        Span<Range> parts = stackalloc Range[5];
        if (span.Split(parts, ' ') < 4 || !span[parts[0]].SequenceEqual(Run)) return false;
        return long.TryParse(span[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out k)
            && int.TryParse(span[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out sender)
            && long.TryParse(span[parts[3]], NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }
}

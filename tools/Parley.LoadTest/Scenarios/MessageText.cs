using System.Globalization;

namespace Parley.LoadTest.Scenarios;

/// <summary>
/// The text the load messages carry: "&lt;k&gt; &lt;sender index&gt; &lt;stopwatch timestamp&gt; xxx…", padded to the body size.
/// Sender and receiver run in this process, so the timestamp gives send→delivery without clock questions.
/// </summary>
public static class MessageText
{
    public static string Create(long k, int sender, long timestamp, int size)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"{k} {sender} {timestamp} ");
        return head.Length >= size ? head : head + new string('x', size - head.Length);
    }

    public static bool TryParse(string text, out long k, out int sender, out long timestamp)
    {
        k = 0;
        sender = 0;
        timestamp = 0;
        var span = text.AsSpan();
        Span<Range> parts = stackalloc Range[4];
        if (span.Split(parts, ' ') < 3) return false;
        return long.TryParse(span[parts[0]], NumberStyles.None, CultureInfo.InvariantCulture, out k)
            && int.TryParse(span[parts[1]], NumberStyles.None, CultureInfo.InvariantCulture, out sender)
            && long.TryParse(span[parts[2]], NumberStyles.None, CultureInfo.InvariantCulture, out timestamp);
    }
}

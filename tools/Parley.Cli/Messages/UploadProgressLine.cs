using Parley.Client.Http.Uploads;

namespace Parley.Cli.Messages;

/// <summary>
/// An upload's progress as one line on a terminal's standard error, rewritten in place at each new percent (after a
/// dropped connection it goes back to what the server holds). Nothing when standard error is not a terminal: scripts
/// read the result line only.
/// </summary>
internal sealed class UploadProgressLine(string name) : IProgress<UploadProgress>
{
    private int _shown = -1;

    public static UploadProgressLine? ForTerminal(string name) => Console.IsErrorRedirected ? null : new UploadProgressLine(name);

    public void Report(UploadProgress value)
    {
        var percent = value.Length == 0 ? 100 : (int)(100 * value.BytesSent / value.Length);
        if (percent == Interlocked.Exchange(ref _shown, percent)) return;
        Console.Error.Write($"\ruploading {name}: {percent,3}%");
    }

    /// <summary>Ends the line, so that what is printed next starts on its own.</summary>
    public void Done()
    {
        if (_shown >= 0) Console.Error.WriteLine();
    }
}

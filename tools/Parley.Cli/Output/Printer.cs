using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Parley.Cli.Output;

/// <summary>
/// Where a command's data goes: standard output, as text or (with <c>--json</c>) as JSON, one document per call, on one
/// line. Notes for people (nothing found, progress) go to standard error, so that standard output stays data.
/// </summary>
internal sealed class Printer(bool json)
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Names and texts stay readable (é, 😀) rather than \u-escaped; the output is UTF-8.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public bool Json { get; } = json;

    /// <summary>Whether standard output is a terminal: tables and colours there, plain lines elsewhere.</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected;

    public static void Line(string text) => Console.Out.WriteLine(text);

    public static void Document(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        Console.Out.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>Prints <paramref name="text"/>, or with --json the object <paramref name="write"/> fills.</summary>
    public void Result(string text, Action<Utf8JsonWriter> write)
    {
        if (Json)
        {
            Document(w =>
            {
                w.WriteStartObject();
                write(w);
                w.WriteEndObject();
            });
        }
        else
        {
            Line(text);
        }
    }

    public static void Note(string text) => Console.Error.WriteLine(text);
}

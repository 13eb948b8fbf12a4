using System.Text.Json;

namespace Parley.Cli.Output;

/// <summary>An action's result: the text line, and the fields of its JSON object (see <see cref="Printer.Result"/>).</summary>
internal sealed record Outcome(string Text, Action<Utf8JsonWriter> Json);

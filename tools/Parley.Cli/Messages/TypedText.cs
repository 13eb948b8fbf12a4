using Parley.Cli.Failures;
using Parley.Client;
using Parley.Protocol.Client;

namespace Parley.Cli.Messages;

/// <summary>A message text from the command line or standard input, checked before anything is sent.</summary>
internal static class TypedText
{
    /// <summary>The text operand, or all of standard input (the last line break dropped).</summary>
    public static async Task<string?> ReadAsync(bool stdin, string? text, CancellationToken cancellationToken)
    {
        if (!stdin) return text;
        var all = await Console.In.ReadToEndAsync(cancellationToken);
        if (all.EndsWith("\r\n", StringComparison.Ordinal)) return all[..^2];
        return all.EndsWith('\n') ? all[..^1] : all;
    }

    /// <summary>Refuses an empty text: it would be a message nobody can read.</summary>
    public static string NotEmpty(string? text, string nothingDone) =>
        string.IsNullOrWhiteSpace(text) ? throw new CliException(ExitCodes.Invalid, $"the message is empty: {nothingDone}") : text;

    /// <summary>Refuses a body over the server's limit (from its welcome) before sending it.</summary>
    public static void CheckSize(ParleyClient client, string bodyJson, string nothingDone)
    {
        var limit = client.Welcome?.Limits.MaxBodyBytes ?? 0;
        var size = BodyJson.Utf8Length(bodyJson);
        if (limit > 0 && size > limit)
        {
            throw new CliException(ExitCodes.Invalid, $"the message is {size} bytes as JSON, over the server's limit of {limit}: {nothingDone}");
        }
    }
}

using Parley.Cli.Failures;

namespace Parley.Cli.Parsing;

/// <summary>
/// Makes <c>--</c> end the options, before Spectre.Console.Cli sees the arguments. Its tokenizer takes every argument
/// that starts with <c>-</c> for options (and drops whatever follows a space in it: <c>"-5 degrees"</c> became
/// <c>-5</c>), and it binds nothing after <c>--</c>. So the operands after <c>--</c> are marked with a character that
/// no option starts with, and <see cref="OperandInterceptor"/> takes the mark off once they are bound; an argument
/// before <c>--</c> that starts with <c>-</c> and holds white space (which no option does) is refused, not cut.
/// </summary>
internal static class Operands
{
    /// <summary>A private-use character: never typed, never the start of an option.</summary>
    private const char Mark = '\uE000';

    /// <summary>The arguments for Spectre: <c>--</c> removed, the operands after it marked.</summary>
    /// <exception cref="CliException">An argument before <c>--</c> would be cut.</exception>
    public static string[] Prepare(IReadOnlyList<string> args)
    {
        var prepared = new List<string>(args.Count);
        var operands = false;
        foreach (var arg in args)
        {
            if (!operands && arg == "--")
            {
                operands = true;
                continue;
            }
            if (arg.StartsWith(Mark) || (operands && arg.StartsWith('-')))
            {
                prepared.Add(Mark + arg);
                continue;
            }
            if (!operands && LooksLikeCutOption(arg))
            {
                throw new CliException(
                    ExitCodes.Usage,
                    $"'{arg}' is not an option: put -- before text that starts with '-' (parley send bob -- '{arg}'), or use --stdin");
            }
            prepared.Add(arg);
        }
        return [.. prepared];
    }

    /// <summary>The value as typed: the mark of an operand taken off.</summary>
    public static string Unmark(string value) => value.Length > 0 && value[0] == Mark ? value[1..] : value;

    private static bool LooksLikeCutOption(string arg)
    {
        if (arg.Length < 2 || arg[0] != '-') return false;
        // A long option's value may hold spaces after '=' (--display-name="Ann Lee"); its name never does.
        var name = arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOfAny(['=', ':']) is var at and > 0 ? arg[..at] : arg;
        return name.Any(char.IsWhiteSpace);
    }
}

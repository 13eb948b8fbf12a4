using System.Globalization;
using Spectre.Console;

namespace Parley.Cli.Parsing;

/// <summary>Numbers given on the command line, read with an error that says what was expected (Spectre's own says "Failed to convert").</summary>
internal static class WholeNumber
{
    /// <param name="name">How the user wrote the option or argument (<c>--limit</c>, <c>&lt;n&gt;</c>).</param>
    /// <param name="text">What was given.</param>
    /// <param name="min">The smallest allowed.</param>
    /// <param name="max">The largest allowed.</param>
    /// <param name="value">The number.</param>
    /// <param name="error">Why not.</param>
    public static bool TryParse(string name, string? text, long min, long max, out long value, out ValidationResult error)
    {
        var plain = text is null ? null : Operands.Unmark(text);
        if (long.TryParse(plain, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max)
        {
            error = ValidationResult.Success();
            return true;
        }
        var range = max == long.MaxValue ? $"of at least {min}" : $"from {min} to {max}";
        error = ValidationResult.Error($"{name} expects a whole number {range}, not '{plain}'");
        return false;
    }

    /// <summary>The value of a setting that <see cref="TryParse"/> validated.</summary>
    public static long Parse(string text) => long.Parse(Operands.Unmark(text), NumberStyles.None, CultureInfo.InvariantCulture);
}

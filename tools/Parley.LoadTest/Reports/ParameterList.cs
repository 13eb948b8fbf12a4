using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace Parley.LoadTest.Reports;

/// <summary>Every command-line option of a settings object with the value the run used, for the report.</summary>
public static class ParameterList
{
    public static List<Parameter> Of(CommandSettings settings, IReadOnlyDictionary<string, string>? resolved = null)
    {
        var list = new List<Parameter>();
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            var name = "--" + option.LongNames[0];
            if (name == "--password") continue;
            var value = resolved is not null && resolved.TryGetValue(name, out var r)
                ? r
                : Convert.ToString(property.GetValue(settings), CultureInfo.InvariantCulture) ?? "";
            list.Add(new Parameter(name, value.Length == 0 ? "(none)" : value));
        }
        list.Sort((a, b) => string.CompareOrdinal(a.Option, b.Option));
        return list;
    }
}

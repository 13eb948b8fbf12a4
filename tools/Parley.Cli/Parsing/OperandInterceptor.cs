using System.Reflection;
using Spectre.Console.Cli;

namespace Parley.Cli.Parsing;

/// <summary>Takes the mark of <see cref="Operands"/> off every bound argument and option value, before the command runs.</summary>
internal sealed class OperandInterceptor : ICommandInterceptor
{
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite || (property.GetCustomAttribute<CommandArgumentAttribute>() is null && property.GetCustomAttribute<CommandOptionAttribute>() is null))
            {
                continue;
            }
            switch (property.GetValue(settings))
            {
                case string value:
                    property.SetValue(settings, Operands.Unmark(value));
                    break;
                case string[] values:
                    property.SetValue(settings, values.Select(Operands.Unmark).ToArray());
                    break;
            }
        }
    }

    public void InterceptResult(CommandContext context, CommandSettings settings, ref int result)
    {
    }
}

using System.Text.Json.Serialization;

namespace Parley.Cli.Config;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CliConfig))]
internal sealed partial class ConfigJsonContext : JsonSerializerContext;

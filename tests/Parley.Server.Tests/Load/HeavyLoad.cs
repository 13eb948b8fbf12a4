namespace Parley.Server.Tests.Load;

/// <summary>
/// The tests that saturate the machine on purpose (floods) run alone, after the others: on a 2-core machine they
/// would otherwise starve the servers of timing-sensitive tests running beside them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyLoad
{
    public const string Name = "heavy load";
}

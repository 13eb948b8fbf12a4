namespace Parley.Testing;

/// <summary>Names no other test uses, so that tests sharing a server (or a database) never meet.</summary>
public static class TestNames
{
    /// <summary>The prefix and 8 random hex digits: a valid username for a prefix of 3 to 24 of [a-z0-9_].</summary>
    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];
}

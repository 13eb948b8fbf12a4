namespace Parley.Conformance.Tests.Harness;

/// <summary>How long tests wait for the server. Generous: the machine is shared and noisy.</summary>
public static class Wait
{
    /// <summary>For a reply or an event that should come at once.</summary>
    public static readonly TimeSpan Frame = TimeSpan.FromSeconds(10);

    /// <summary>For something that takes a few AckTimeouts (1 s on the delivery server).</summary>
    public static readonly TimeSpan Redelivery = TimeSpan.FromSeconds(20);

    /// <summary>For an HTTP call.</summary>
    public static readonly TimeSpan Http = TimeSpan.FromSeconds(10);
}

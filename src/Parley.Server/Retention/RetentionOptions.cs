namespace Parley.Server.Retention;

/// <summary>Parley:Retention: the sweeper that deletes expired messages.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Parley:Retention";

    /// <summary>How often expired messages are deleted from storage (they are never served once expired).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages deleted per transaction; a sweep runs batches until none is left.</summary>
    public int SweepBatchSize { get; set; } = 1000;
}

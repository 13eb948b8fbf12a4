namespace Parley.Grains.Groups;

/// <summary>Parley:Groups (receipt aggregation).</summary>
public sealed class GroupReceiptOptions
{
    /// <summary>At most one aggregation per group per this interval: receipts are coalesced, never a storm.</summary>
    public TimeSpan ReceiptInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

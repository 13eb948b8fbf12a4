using Orleans.Concurrency;

namespace Parley.Grains.Groups;

/// <summary>
/// One group (key: its conv id, <c>g:...</c>): the point that aggregates the members' receipts into
/// "everyone has it" receipts for the senders, at most once per interval however busy the group is.
/// Its only state is a pending flag; the markers themselves are in the store.
/// </summary>
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>A member's delivered or read marker moved: aggregated receipts are due.</summary>
    [OneWay]
    Task MarkersMovedAsync();
}

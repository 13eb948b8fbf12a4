using System.Globalization;
using System.Runtime;
using System.Text;

namespace ConnRelay;

/// <summary>
/// The GC's own account of its memory, for telling the managed heap's share of RSS from the rest: live bytes,
/// fragmentation (free space between live objects, which the gcdump does not count), what the GC has committed, per
/// generation. One <c>name value</c> line each.
/// </summary>
internal static class MemoryStats
{
    private static readonly string[] Generations = ["gen0", "gen1", "gen2", "loh", "poh"];

    public static string Describe(Relay relay, bool collectFirst)
    {
        if (collectFirst)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        }
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        var text = new StringBuilder();
        void Line(string name, long value) => text.Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line("connections", relay.Count);
        Line("gc_index", info.Index);
        Line("gc_compacted", info.Compacted ? 1 : 0);
        Line("gc_heap_size_bytes", info.HeapSizeBytes);
        Line("gc_fragmented_bytes", info.FragmentedBytes);
        Line("gc_committed_bytes", info.TotalCommittedBytes);
        Line("gc_promoted_bytes", info.PromotedBytes);
        Line("gc_pinned_objects", info.PinnedObjectsCount);
        for (var g = 0; g < info.GenerationInfo.Length && g < Generations.Length; g++)
        {
            Line($"{Generations[g]}_size_after_bytes", info.GenerationInfo[g].SizeAfterBytes);
            Line($"{Generations[g]}_fragmentation_after_bytes", info.GenerationInfo[g].FragmentationAfterBytes);
        }
        Line("total_memory_bytes", GC.GetTotalMemory(forceFullCollection: false));
        Line("threadpool_threads", ThreadPool.ThreadCount);
        Line("working_set_bytes", Environment.WorkingSet);
        return text.ToString();
    }
}

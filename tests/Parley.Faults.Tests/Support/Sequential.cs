// Each fault test drives a server hard (a kill, a full disk, a flood): one at a time, so they do not measure each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

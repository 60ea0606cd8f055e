namespace CmPortal.Web;

/// <summary>
/// Keeps the collector's youngest generation small on machines that report a large processor cache. The .NET
/// workstation collector sizes generation 0 from the L3 cache (four fifths of it, then five eighths): a virtual
/// machine reporting a 300 MB L3 lets ~150 MB of short-lived objects pile up before the first collection, memory the
/// portal does not need. The runtime's own setting for it (<c>DOTNET_GCgen0size</c>) is read from the environment
/// only, never from the portal's configuration; so the portal asks for a generation-0 collection itself once
/// <c>Runtime:YoungGenerationMB</c> (16 by default) have been allocated without one. Where the runtime collects
/// sooner on its own (a usual cache), this never fires. Off with 0, or when <c>DOTNET_GCgen0size</c> is set.
/// </summary>
internal sealed class YoungGenerationBudget(long budgetBytes, TimeSpan checkEvery)
{
    private const string RuntimeVariable = "GCgen0size";

    private int _collections;

    /// <summary>How many collections this budget asked for (the runtime's own are not counted).</summary>
    public int Collections => Volatile.Read(ref _collections);

    /// <summary>The budget the settings ask for; null when it is off.</summary>
    public static YoungGenerationBudget? From(IConfiguration configuration)
    {
        var megabytes = configuration.GetValue("Runtime:YoungGenerationMB", 16);
        if (megabytes <= 0) return null;
        if (Environment.GetEnvironmentVariable("DOTNET_" + RuntimeVariable) is { Length: > 0 } ||
            Environment.GetEnvironmentVariable("COMPlus_" + RuntimeVariable) is { Length: > 0 })
            return null; // the runtime sizes it as told
        return new YoungGenerationBudget(megabytes * 1024L * 1024L, TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Checks the allocations every few milliseconds until stopped.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(checkEvery);
        var (collections, allocated) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var (nowCollections, nowAllocated) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
                if (nowCollections == collections && nowAllocated - allocated >= budgetBytes)
                {
                    GC.Collect(0, GCCollectionMode.Forced, blocking: true);
                    Interlocked.Increment(ref _collections);
                    (nowCollections, nowAllocated) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes());
                }
                // Counted from the last collection seen, the runtime's or this budget's.
                if (nowCollections != collections) (collections, allocated) = (nowCollections, nowAllocated);
            }
        }
        catch (OperationCanceledException) { }
    }
}

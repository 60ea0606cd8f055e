using CmPortal.Web;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Tests.Unit;

/// <summary>The portal keeps the collector's youngest generation small where the runtime would let it grow (a large reported cache).</summary>
public sealed class YoungGenerationBudgetTests
{
    [Fact]
    public async Task Asks_for_a_young_collection_once_its_budget_is_allocated_without_one()
    {
        var budget = new YoungGenerationBudget(256 * 1024, TimeSpan.FromMilliseconds(5));
        using var stop = new CancellationTokenSource();
        var running = budget.RunAsync(stop.Token);
        var collectionsBefore = GC.CollectionCount(0);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (budget.Collections == 0 && DateTime.UtcNow < deadline)
        {
            for (var i = 0; i < 64; i++) GC.KeepAlive(new byte[1024]); // short-lived objects, as requests make
            await Task.Delay(1);
        }
        await stop.CancelAsync();
        await running; // stops quietly

        Assert.True(budget.Collections > 0, "no collection was asked for after the budget was allocated");
        Assert.True(GC.CollectionCount(0) > collectionsBefore);
    }

    [Fact]
    public void Is_on_by_default_with_16_MB_and_off_with_0()
    {
        var toldByEnvironment = Environment.GetEnvironmentVariable("DOTNET_GCgen0size") is { Length: > 0 } ||
                                Environment.GetEnvironmentVariable("COMPlus_GCgen0size") is { Length: > 0 };
        Assert.Equal(!toldByEnvironment, YoungGenerationBudget.From(new ConfigurationBuilder().Build()) is not null);
        var off = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Runtime:YoungGenerationMB"] = "0" }).Build();
        Assert.Null(YoungGenerationBudget.From(off));
    }
}

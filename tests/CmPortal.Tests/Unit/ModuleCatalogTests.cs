using CmPortal.Core.Modules;

namespace CmPortal.Tests.Unit;

public sealed class ModuleCatalogTests
{
    private sealed class TestModule(string id, params string[] dependencies) : PortalModule
    {
        public override string Id => id;
        public override string Name => id;
        public override string Description => id;
        public override IReadOnlyList<string> Dependencies => dependencies;
    }

    [Fact]
    public void Modules_come_after_what_they_depend_on_and_dependencies_close_transitively()
    {
        var catalog = new ModuleCatalog([new TestModule("Calendar", "Charter"), new TestModule("Charter", "Brand"), new TestModule("Brand")]);
        Assert.Equal(["Brand", "Charter", "Calendar"], catalog.Modules.Select(m => m.Id));
        Assert.Equal(["Brand", "Charter", "Calendar"], catalog.WithDependencies("Calendar"));
        Assert.Equal(["Charter", "Calendar"], catalog.Dependents("Brand", ["Brand", "Charter", "Calendar"]));
        Assert.Empty(catalog.Dependents("Calendar", ["Brand", "Charter", "Calendar"]));
    }

    [Fact]
    public void A_cycle_an_unknown_dependency_or_a_duplicate_id_stops_the_host_with_a_clear_message()
    {
        Assert.Contains("cycle: A -> B -> A", Assert.Throws<InvalidOperationException>(() =>
            new ModuleCatalog([new TestModule("A", "B"), new TestModule("B", "A")])).Message);
        Assert.Contains("depends on 'Inbox', which the host does not reference", Assert.Throws<InvalidOperationException>(() =>
            new ModuleCatalog([new TestModule("A", "Inbox")])).Message);
        Assert.Contains("Two modules declare the id 'A'", Assert.Throws<InvalidOperationException>(() =>
            new ModuleCatalog([new TestModule("A"), new TestModule("A")])).Message);
    }
}

using CmPortal.ArchitectureTests.Infrastructure;
using CmPortal.ArchitectureTests.Rules;

namespace CmPortal.ArchitectureTests;

public sealed class ModuleDependencyRuleTests
{
    private const string Rule = "a module uses only modules it declares";

    [Fact]
    public void The_product_modules_are_found() =>
        Assert.Contains(ProductModules.Assemblies, a => a.GetName().Name == "CmPortal.Modules.KeyDates");

    [Theory]
    [MemberData(nameof(ProductModules.Names), MemberType = typeof(ProductModules))]
    public void A_product_module_uses_only_modules_it_declares(string assembly) =>
        RuleAssert.NoViolations(Rule, ModuleDependencyRule.Check(ProductModules.Named(assembly)));

    [Fact]
    public void The_bad_module_is_caught_using_KeyDates_undeclared() =>
        RuleAssert.ExactlyViolations(Rule, ModuleDependencyRule.Check(BadFixture.Assembly), "uses module 'KeyDates'");
}

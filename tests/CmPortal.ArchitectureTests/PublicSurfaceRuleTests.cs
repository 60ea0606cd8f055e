using System.Reflection;
using Microsoft.AspNetCore.Razor.Hosting;
using CmPortal.ArchitectureTests.Infrastructure;
using CmPortal.ArchitectureTests.Rules;

namespace CmPortal.ArchitectureTests;

public sealed class PublicSurfaceRuleTests
{
    private const string Rule = "only a module's contract types are public";

    [Theory]
    [MemberData(nameof(ProductModules.Names), MemberType = typeof(ProductModules))]
    public void A_product_module_exposes_only_contract_types(string assembly) =>
        RuleAssert.NoViolations(Rule, PublicSurfaceRule.Check(ProductModules.Named(assembly)));

    /// <summary>The rule never looks at views: it can skip them only because Razor compiles them internal.</summary>
    [Fact]
    public void Compiled_Razor_views_of_modules_are_internal()
    {
        var views = ProductModules.Assemblies
            .SelectMany(a => a.GetCustomAttributes<RazorCompiledItemAttribute>())
            .ToList();
        Assert.NotEmpty(views); // KeyDates has views: an empty list would mean this test checks nothing.
        var publicViews = views.Where(v => v.Type.IsVisible).Select(v => $"{v.Identifier} compiles to public {v.Type.FullName}").ToList();
        RuleAssert.NoViolations("Razor views are internal", publicViews);
    }

    [Fact]
    public void The_bad_module_is_caught_leaking_LeakyHelper_but_not_its_contract() =>
        RuleAssert.ExactlyViolations(Rule, PublicSurfaceRule.Check(BadFixture.Assembly), "CmPortal.Fixtures.BadModule.LeakyHelper");
}

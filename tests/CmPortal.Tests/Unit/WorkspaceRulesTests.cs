using CmPortal.Core.Workspaces;

namespace CmPortal.Tests.Unit;

public sealed class WorkspaceRulesTests
{
    [Theory]
    [InlineData("maison-lumen", null)]
    [InlineData("a", null)]
    [InlineData("", "is empty")]
    [InlineData("Maison", "is not a valid key")]
    [InlineData("-lumen", "is not a valid key")]
    [InlineData("lumen-", "is not a valid key")]
    [InlineData("maison_lumen", "is not a valid key")]
    [InlineData("admin", "is reserved")]
    [InlineData("setup", "is reserved")]
    [InlineData("api", "is reserved")]
    [InlineData("openapi", "is reserved")]
    public void Keys_are_url_safe_and_never_a_portal_path(string key, string? expected)
    {
        var error = WorkspaceRules.CheckKey(key)?.ToString();
        if (expected is null) Assert.Null(error);
        else Assert.Contains(expected, error);
    }

    [Fact]
    public void Cultures_time_zones_and_host_names_are_checked()
    {
        Assert.Null(WorkspaceRules.CheckCulture("fr-FR"));
        Assert.Contains("Use one of: fr-FR, en-US", WorkspaceRules.CheckCulture("fr")?.ToString());
        Assert.Null(WorkspaceRules.CheckTimeZone("America/Martinique"));
        Assert.Contains("not an IANA time zone", WorkspaceRules.CheckTimeZone("CET+1")?.ToString());
        Assert.Null(WorkspaceRules.CheckHostName("communaute.maison-lumen.fr"));
        Assert.NotNull(WorkspaceRules.CheckHostName("https://maison-lumen.fr"));
        Assert.NotNull(WorkspaceRules.CheckHostName("maison-lumen.fr:8080"));
    }
}

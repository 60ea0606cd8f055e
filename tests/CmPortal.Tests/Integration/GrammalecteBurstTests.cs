using CmPortal.Modules.BrandIdentity.Checking;
using Microsoft.Extensions.Configuration;

namespace CmPortal.Tests.Integration;

/// <summary>
/// A burst of grammar checks (an editor checking every variant at once, several editors) against the real
/// grammalecte-server the portal starts: it answers one request at a time with a listen queue of five, and none of the
/// checks may come back "grammar unavailable".
/// </summary>
public sealed class GrammalecteBurstTests
{
    [Fact]
    public async Task Forty_checks_at_once_all_get_their_grammar()
    {
        using var server = new GrammalecteServer(new ConfigurationBuilder().Build());
        using var client = new GrammalecteClient(server, configuration: new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { [GrammalecteClient.TimeoutKey] = "30" }).Build());
        Assert.NotNull(await server.AddressAsync(CancellationToken.None));

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => client.CheckAsync($"Variante {i} : les bougie parfumé arrivent demain."))));

        Assert.All(answers, findings => Assert.Contains(findings!, f => f.Start >= 0));
    }
}

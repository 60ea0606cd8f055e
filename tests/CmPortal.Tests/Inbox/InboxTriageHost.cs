using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// One demo portal shared by a triage test class (bulk actions, saved searches, the new-mentions notice): the demo
/// workspace, a second workspace with the inbox on, a community manager who triages and a contributor who only reads.
/// Each test adds its own mentions (their own words), so tests do not see each other's changes.
/// </summary>
public sealed class InboxTriageHost : IAsyncLifetime
{
    public const string Workspace = "maison-lumen";
    public const string Other = "autre-marque";
    public const string Manager = "cm@maison-lumen.test";
    public const string Reader = "plume@maison-lumen.test";

    private PortalHost? _host;
    public PortalHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _host = await PortalHost.StartAsync();
        await _host.SetUpAsync();
        await _host.ApplyRecipeAsync("""
            { "name": "x", "steps": [ { "step": "workspace", "key": "autre-marque", "name": "Autre marque" }, { "step": "modules", "enable": ["Inbox"] } ] }
            """);
        await _host.AddMemberAsync(Manager, Workspace, DefaultRoles.CommunityManager);
        await _host.AddMemberAsync(Reader, Workspace, DefaultRoles.Contributor);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }

    /// <summary>Ingests mentions (id prefix + number) and gives them back as stored, oldest id first.</summary>
    internal Task<List<Mention>> AddAsync(string prefix, string workspace, params string[] texts) =>
        Host.InWorkspaceAsync(workspace, async s =>
        {
            var items = texts.Select((text, i) => new ListenedItem($"{prefix}-{i}", null, text, null, "Léa", null, null, DateTimeOffset.UtcNow.AddMinutes(-5 - i), "fr")).ToList();
            var outcome = await s.GetRequiredService<MentionService>().IngestAsync("api", "Tests", items);
            Assert.Empty(outcome.Problems);
            var ids = items.Select(i => i.ExternalId).ToList();
            return await s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().Where(m => ids.Contains(m.ExternalId)).OrderBy(m => m.Id).ToListAsync();
        });

    internal Task<List<Mention>> ReloadAsync(IEnumerable<long> ids, string workspace = Workspace)
    {
        var list = ids.ToList();
        return Host.InWorkspaceAsync(workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().Where(m => list.Contains(m.Id)).OrderBy(m => m.Id).ToListAsync());
    }

    /// <summary>Posts a form whose fields may repeat (the list's checkboxes), with the antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostAsync(PortalClient client, string path, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", await client.AntiforgeryTokenAsync())).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        return await client.Http.SendAsync(request);
    }
}

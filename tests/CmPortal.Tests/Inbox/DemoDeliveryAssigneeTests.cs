using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The demo's rule « Livraison en retard » assigns its mentions to the demo's community manager, a member the recipe's
/// "members" step adds before the rules: a delivery complaint in the demo shows who handles it.
/// </summary>
public sealed class DemoDeliveryAssigneeTests
{
    [Fact]
    public async Task A_demo_delivery_complaint_is_assigned_to_the_demos_community_manager_who_cannot_sign_in_without_a_password()
    {
        await using var host = await PortalHost.StartSetUpAsync();

        var nora = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.AsNoTracking().SingleAsync(u => u.Email == "nora@maison-lumen.test"));
        Assert.Equal(("Nora Benali", null), (nora.DisplayName, nora.PasswordHash));
        var delivery = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking()
            .Where(m => m.Labels != null && m.Labels.Contains("|livraison|")).ToListAsync());
        Assert.NotEmpty(delivery);
        Assert.All(delivery, m => Assert.Equal(nora.Id, m.AssigneeId));

        using var admin = await host.SignInAsync();
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{delivery[0].Id}"));
        Assert.Contains("Nora Benali", page);
        var members = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{Workspace}/members"));
        Assert.Contains("nora@maison-lumen.test", members);

        // Applied again, the step changes nothing; a bad address is refused before anything is stored.
        await host.ApplyRecipeAsync("""{ "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" }, { "step": "members", "members": [ { "email": "nora@maison-lumen.test", "role": "Community manager" } ] } ] }""");
        Assert.Equal(1, await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.CountAsync(u => u.Email == "nora@maison-lumen.test")));
        var refused = await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(
            """{ "name": "x", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" }, { "step": "members", "members": [ { "email": "pas une adresse", "role": "Analyst" } ] } ] }"""));
        Assert.Contains(refused.Errors, e => e.Problem.Field == "members[0].email");
    }
}

using System.Net.Mail;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Recipes.Steps;

/// <summary>
/// <c>{ "step": "members", "members": [ { "email": "camille@maison-lumen.test", "name": "Camille Roux", "role": "Community manager" } ] }</c>:
/// makes each person a member of the workspace with that role (a default role or one of an earlier "roles" step). An
/// address without an account gets one <b>without a password</b>: nobody can sign in with it until a host
/// administrator sets one (users page). Later steps can name them (a rule's <c>assignTo</c>, a manual channel's
/// <c>assignee</c>). Never exported: members and accounts are not copied from one workspace or portal to another.
/// </summary>
internal sealed class MembersStep : RecipeStep<MembersStep.Model>
{
    public sealed record Model(List<MemberModel> Members);
    public sealed record MemberModel(string Email, string Role, string? Name = null);

    public override string Name => "members";

    public override string Label => "Members";

    protected override Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        foreach (var member in model.Members)
            changes.Add(new RecipeChange("{0} is a member with the role “{1}”.", member.Email.Trim(), member.Role));
        return Task.CompletedTask;
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < model.Members.Count; i++)
        {
            var member = model.Members[i];
            var email = member.Email.Trim();
            if (!MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
                context.Error($"members[{i}].email", "\"{0}\" is not an e-mail address.", email);
            else if (!seen.Add(email))
                context.Error($"members[{i}].email", "{0} is listed twice. List each member once.", email);
            if (member.Name is not null && DisplayNames.Check(member.Name.Trim(), 100) is { } nameProblem)
                context.Error(nameProblem with { Field = $"members[{i}].name" });
            if (string.IsNullOrWhiteSpace(member.Role))
                context.Error($"members[{i}].role", "Give the member's role, e.g. “{0}”.", DefaultRoles.CommunityManager);
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<CoreDbContext>();
        var users = context.Services.GetRequiredService<UserManager<PortalUser>>();
        var workspaceId = context.Workspace.Required.Id;
        var roles = await db.Roles.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToDictionaryAsync(r => r.Name, r => r.Id, ct);
        foreach (var member in model.Members)
        {
            if (!roles.TryGetValue(member.Role.Trim(), out var roleId))
                throw new InvalidOperationException($"The member {member.Email} is given the role “{member.Role}”, which the workspace does not have: " +
                    "use a default role or one of an earlier \"roles\" step.");
            var email = member.Email.Trim();
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new PortalUser
                {
                    Email = email, NormalizedEmail = users.NormalizeEmail(email),
                    DisplayName = string.IsNullOrWhiteSpace(member.Name) ? email : member.Name.Trim(),
                };
                var created = await users.CreateAsync(user); // no password: it cannot sign in until one is set
                if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
            }
            var membership = await db.Memberships.FirstOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, ct);
            if (membership is null) db.Memberships.Add(new Membership { WorkspaceId = workspaceId, UserId = user.Id, RoleId = roleId });
            else membership.RoleId = roleId;
            await db.SaveChangesAsync(ct);
        }
    }
}

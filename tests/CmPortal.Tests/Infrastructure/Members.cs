using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

public static class MemberHostExtensions
{
    public const string MemberPassword = "member-password-7";

    /// <summary>Creates a user who belongs to one workspace with one role (no host administration).</summary>
    public static Task AddMemberAsync(this PortalHost host, string email, string workspaceKey, string role) =>
        host.InScopeAsync(async services =>
        {
            var users = services.GetRequiredService<UserManager<PortalUser>>();
            var db = services.GetRequiredService<CoreDbContext>();
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new PortalUser { Email = email, NormalizedEmail = users.NormalizeEmail(email), DisplayName = email.Split('@')[0] };
                var result = await users.CreateAsync(user, MemberPassword);
                Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
            }
            var workspace = await db.Workspaces.SingleAsync(w => w.Key == workspaceKey);
            var roleId = await db.Roles.Where(r => r.WorkspaceId == workspace.Id && r.Name == role).Select(r => r.Id).SingleAsync();
            db.Memberships.Add(new Membership { WorkspaceId = workspace.Id, UserId = user.Id, RoleId = roleId });
            await db.SaveChangesAsync();
        });
}

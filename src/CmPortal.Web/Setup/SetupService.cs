using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Web.Setup;

public sealed record SetupRequest(string AdminEmail, string AdminPassword, string? AdminName, string RecipeFile, IReadOnlyDictionary<string, string> Parameters);

public sealed class SetupException(string message) : Exception(message);

/// <summary>
/// First run: creates the host administrator and provisions the first workspace from a
/// starter recipe. Everything is checked before anything is stored.
/// </summary>
public sealed class SetupService(CoreDbContext db, UserManager<PortalUser> users, RecipeRunner recipes, RecipeLibrary library, ILogger<SetupService> logger)
{
    /// <summary>The demo account of <c>--demo</c>: a documented local demo, not a secret (see README).</summary>
    public const string DemoEmail = "admin@maison-lumen.test";
    public const string DemoPassword = "demo-lumen-2026";

    public Task<bool> IsSetUpAsync(CancellationToken ct = default) => db.Users.AnyAsync(u => u.IsHostAdmin, ct);

    public async Task SetupAsync(SetupRequest request, CancellationToken ct = default)
    {
        if (await IsSetUpAsync(ct)) throw new SetupException("The portal is already set up. Sign in as its administrator instead.");
        var recipe = RecipeDocument.Load(request.RecipeFile);
        await recipes.ValidateAsync(recipe, request.Parameters, ct);
        var admin = new PortalUser
        {
            Email = request.AdminEmail.Trim(),
            NormalizedEmail = users.NormalizeEmail(request.AdminEmail.Trim()),
            DisplayName = string.IsNullOrWhiteSpace(request.AdminName) ? request.AdminEmail.Trim() : request.AdminName.Trim(),
            IsHostAdmin = true,
        };
        await CheckAccountAsync(admin, request.AdminPassword);
        // The administrator is created inside the recipe's transaction: setup stores both or neither.
        var result = await recipes.ApplyAsync(recipe, request.Parameters, ct: ct, beforeCommit: async scope =>
        {
            var created = await scope.GetRequiredService<UserManager<PortalUser>>().CreateAsync(admin, request.AdminPassword);
            if (!created.Succeeded) throw new SetupException(string.Join(" ", created.Errors.Select(e => e.Description)));
        });
        logger.LogInformation("Set up the portal: administrator created, workspace {Workspace} provisioned by {Recipe}", result.WorkspaceKey, recipe.Name);
    }

    /// <summary>With <c>--demo</c>: on a portal not yet set up, provisions the demo brand and its demo administrator.</summary>
    public async Task EnsureDemoAsync(CancellationToken ct = default)
    {
        if (await IsSetUpAsync(ct)) return;
        await SetupAsync(new SetupRequest(DemoEmail, DemoPassword, "Admin démo", library.PathOf("demo.recipe.json"), new Dictionary<string, string>()), ct);
    }

    /// <summary>Whether the demo account still signs in with the documented password (not worth printing once changed).</summary>
    public async Task<bool> DemoSignInWorksAsync() =>
        await users.FindByEmailAsync(DemoEmail) is { } demo && await users.CheckPasswordAsync(demo, DemoPassword);

    private async Task CheckAccountAsync(PortalUser admin, string password)
    {
        if (!System.Net.Mail.MailAddress.TryCreate(admin.Email, out _))
            throw new SetupException($"\"{admin.Email}\" is not an email address. Give the administrator's address, e.g. admin@example.fr.");
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, admin, password);
            problems.AddRange(check.Errors.Select(e => e.Description));
        }
        if (problems.Count > 0) throw new SetupException("The password is too weak: " + string.Join(" ", problems));
    }
}

/// <summary>Until an administrator exists, every page leads to the setup screen.</summary>
public sealed class SetupGate
{
    private static readonly string[] OpenPaths = ["/setup", "/health", "/_content", "/lib", "/css", "/js", "/error", "/robots.txt"];

    // Once set up, a portal stays set up: only "yes" is remembered, so no query per request after that.
    private volatile bool _setUp;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!_setUp && !OpenPaths.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            if (await context.RequestServices.GetRequiredService<SetupService>().IsSetUpAsync(context.RequestAborted)) _setUp = true;
            else
            {
                context.Response.Redirect("/setup");
                return;
            }
        }
        await next(context);
    }
}

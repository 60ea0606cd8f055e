using CmPortal.Core.Localization;
using Microsoft.Extensions.Localization;
using System.ComponentModel.DataAnnotations;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Web.Setup;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CmPortal.Web.Controllers;

/// <summary>First run: while no administrator exists, asks for one and for a starter recipe.</summary>
[Route("setup")]
[AllowAnonymous]
internal sealed class SetupController(SetupService setup, RecipeLibrary library, SignInManager<PortalUser> signIn, UserManager<PortalUser> users,
    IStringLocalizer<SetupController> T) : Controller
{
    public sealed class SetupForm
    {
        [Required, EmailAddress] public string? AdminEmail { get; set; }
        public string? AdminName { get; set; }
        [Required] public string? AdminPassword { get; set; }
        [Required] public string? Recipe { get; set; }
        public Dictionary<string, string> Parameters { get; set; } = [];
    }

    public sealed record SetupPage(SetupForm Form, IReadOnlyList<(string File, RecipeDocument? Recipe, IReadOnlyList<RecipeError>? Errors)> Recipes, RecipeDocument? Selected);

    [HttpGet("")]
    public async Task<IActionResult> Index(string? recipe)
    {
        if (await setup.IsSetUpAsync()) return NotFound();
        return View(Page(new SetupForm { Recipe = recipe ?? "demo.recipe.json" }));
    }

    [HttpPost(""), EnableRateLimiting(SignInRateLimit.Policy)]
    public async Task<IActionResult> Index(SetupForm form)
    {
        if (await setup.IsSetUpAsync()) return NotFound();
        if (!ModelState.IsValid) return View(Page(form));
        try
        {
            var parameters = form.Parameters.Where(p => !string.IsNullOrEmpty(p.Value)).ToDictionary(p => p.Key, p => p.Value);
            await setup.SetupAsync(new SetupRequest(form.AdminEmail!, form.AdminPassword!, form.AdminName, library.PathOf(form.Recipe!), parameters));
        }
        catch (RecipeException e)
        {
            foreach (var error in e.Errors) ModelState.AddModelError("", T.Recipe(error).Value);
            return View(Page(form));
        }
        catch (SetupException e)
        {
            ModelState.AddModelError("", e.Message);
            return View(Page(form));
        }
        var admin = await users.FindByEmailAsync(form.AdminEmail!);
        await signIn.SignInAsync(admin!, isPersistent: false);
        return Redirect("/admin");
    }

    private SetupPage Page(SetupForm form)
    {
        var recipes = library.List();
        return new SetupPage(form, recipes, recipes.FirstOrDefault(r => r.File == form.Recipe).Recipe);
    }
}

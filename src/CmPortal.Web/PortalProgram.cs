using CmPortal.Core;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Web.Setup;

namespace CmPortal.Web;

/// <summary>
/// The host's entry: without a command it runs the portal; <c>setup</c>, <c>recipe apply</c> and
/// <c>recipe export</c> do their work and exit (0 on success, 1 on bad input, 2 on bad usage).
/// </summary>
public static class PortalProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        CommandLine command;
        try { command = CommandLine.Parse(args); }
        catch (CommandLineException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}{Environment.NewLine}{Environment.NewLine}{CommandLine.Usage}");
            return 2;
        }
        if (command.Verb == CommandVerb.Help)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        // The content root is the binary's folder (appsettings.json, views, static assets), wherever the command
        // is typed; relative paths given by the user (data folder, recipe files) stay relative to where it is typed.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = command.HostArgs, ContentRootPath = AppContext.BaseDirectory });
        WebApplication app;
        try
        {
            // A wrong setting (public address, mail server, database) is told in one line with what to fix, never as a stack trace.
            ConfigureHost(builder);
            app = builder.Build();
            await PortalMigrations.MigrateAsync(app.Services);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        try
        {
            switch (command.Verb)
            {
                case CommandVerb.Setup:
                    await app.Services.GetRequiredService<SetupService>().SetupAsync(
                        new SetupRequest(command.Require("--admin-email"), command.Require("--admin-password"), command.Option("--admin-name"),
                            command.Require("--recipe"), command.Parameters));
                    Console.WriteLine("Setup done: the administrator can sign in at /account/login.");
                    return 0;
                case CommandVerb.RecipeApply:
                    var recipe = RecipeDocument.Load(command.File!);
                    var runner = app.Services.GetRequiredService<RecipeRunner>();
                    if (!command.UpdateExisting && await runner.PlanAsync(recipe, command.Parameters) is { ChangesExistingWorkspace: true } plan)
                    {
                        await Console.Error.WriteLineAsync(ExistingWorkspaceWarning(recipe, plan));
                        return 1;
                    }
                    var result = await runner.ApplyAsync(recipe, command.Parameters);
                    Console.WriteLine($"Applied {recipe.Name} ({result.StepCount} steps) to workspace {result.WorkspaceKey} in {result.Elapsed.TotalMilliseconds:0} ms.");
                    return 0;
                case CommandVerb.TokenCreate:
                    return await CreateTokenAsync(app.Services, command);
                case CommandVerb.RecipeExport:
                    var json = await app.Services.GetRequiredService<RecipeExporter>().ExportAsync(command.Require("--workspace"));
                    await File.WriteAllTextAsync(command.Require("--out"), json);
                    Console.WriteLine($"Exported workspace {command.Option("--workspace")} to {command.Option("--out")}.");
                    return 0;
            }
            if (command.Demo) await app.Services.GetRequiredService<SetupService>().EnsureDemoAsync();
        }
        catch (RecipeException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (SetupException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }

        ConfigurePipeline(app);
        app.Lifetime.ApplicationStarted.Register(() => _ = SayWhereToOpenAsync(app, command.Demo));
        var youngGeneration = YoungGenerationBudget.From(app.Configuration)?.RunAsync(app.Lifetime.ApplicationStopping);
        await app.RunAsync();
        if (youngGeneration is not null) await youngGeneration;
        return 0;
    }

    /// <summary>
    /// <c>token create</c>: the same rules as the account page (a member of the workspace, a valid name). The secret
    /// goes alone on the last line of the output, so that a script can take it with <c>tail -n 1</c>.
    /// </summary>
    private static async Task<int> CreateTokenAsync(IServiceProvider services, CommandLine command)
    {
        await using var scope = services.CreateAsyncScope();
        var email = command.Require("--email");
        var user = await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>().FindByEmailAsync(email);
        if (user is null)
        {
            await Console.Error.WriteLineAsync($"error: no account uses {email}.");
            return 1;
        }
        var outcome = await scope.ServiceProvider.GetRequiredService<AccessTokenService>()
            .CreateAsync(user.Id, new AccessTokenRequest(command.Require("--name"), command.Require("--workspace")));
        if (outcome.Problems.Count > 0)
        {
            foreach (var problem in outcome.Problems) await Console.Error.WriteLineAsync($"error: {problem.Field}: {problem}");
            return 1;
        }
        Console.WriteLine($"Token \"{outcome.Token!.Name}\" for {user.Email} in workspace {command.Option("--workspace")}, acting with their permissions there.");
        Console.WriteLine("It is shown only now: store it in your script's secrets. Revoke it from the account page.");
        Console.WriteLine(outcome.Secret);
        return 0;
    }

    /// <summary>What a recipe would change in workspaces that exist, and the two ways on: the same as the admin's preview.</summary>
    private static string ExistingWorkspaceWarning(RecipeDocument recipe, RecipePlan plan)
    {
        var text = new System.Text.StringBuilder();
        foreach (var target in plan.Targets.Where(t => t.Exists))
            text.AppendLine($"{Path.GetFileName(recipe.File)} would change the existing workspace \"{target.ExistingName}\" ({target.Key}):");
        foreach (var step in plan.Steps.Where(s => s.Changes.Count > 0))
            foreach (var change in step.Changes)
                text.AppendLine($"  step {step.Index} ({step.Name}): {change}");
        text.Append("Nothing was written. To apply these changes, run the command again with --update-existing; to create a new workspace instead, give another key with --param key=NEW-KEY.");
        return text.ToString();
    }

    /// <summary>Once listening: where to open the portal, and with <c>--demo</c> the documented demo sign-in while it still works.</summary>
    private static async Task SayWhereToOpenAsync(WebApplication app, bool demo)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("CmPortal");
        var urls = app.Services.GetRequiredService<CmPortal.Core.Workspaces.PublicUrls>();
        await using var scope = app.Services.CreateAsyncScope();
        var setup = scope.ServiceProvider.GetRequiredService<SetupService>();
        if (!await setup.IsSetUpAsync())
        {
            logger.LogInformation("CmPortal is running. Open {Url} to create the administrator and the first brand.", urls.Portal("/setup"));
            return;
        }
        logger.LogInformation("CmPortal is running. Open {Url}", urls.Portal("/admin"));
        // To the console only, never through the log pipeline: a documented demo password, but a password all the same.
        if (demo && await setup.DemoSignInWorksAsync())
            Console.WriteLine($"Demo brand Maison Lumen: {urls.Portal("/maison-lumen/")} — sign in at {urls.Portal("/admin")} as {SetupService.DemoEmail}, " +
                              $"password {SetupService.DemoPassword} (documented demo account: change its password).");
    }

    /// <summary>Services and configuration of the portal; shared by the program and the tests.</summary>
    public static void ConfigureHost(WebApplicationBuilder builder)
    {
        // Serves the themes' and modules' files from their projects when run from a build (dotnet run, tests);
        // a published app carries them in wwwroot and this does nothing.
        builder.WebHost.UseStaticWebAssets();
        if (builder.Configuration["Logging:Format"] == "json") { builder.Logging.ClearProviders(); builder.Logging.AddJsonConsole(); }
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddPortalEngine(builder.Configuration, typeof(PortalProgram).Assembly);
        builder.Services.AddScoped<SetupService>();
        builder.Services.AddSingleton<RecipeRuns>();
        builder.Services.AddSingleton<SetupGate>();
        builder.Services.AddSingleton<RecipeLibrary>();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.Cookie.Name = ".CmPortal.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = builder.Configuration.GetValue<bool>("Security:RequireHttps") ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ".CmPortal.Antiforgery";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
    }

    public static void ConfigurePipeline(WebApplication app)
    {
        app.UsePortalSecurity(); // first, so that redirects, errors and static files carry the headers too
        if (app.Configuration.GetValue<bool>("Security:RequireHttps")) { app.UseHsts(); app.UseHttpsRedirection(); }
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseExceptionHandler("/error/500");
        app.Use(ClientRequestErrors.InvokeAsync);
        app.Use(ServeErrorPagesAsGet);
        app.MapStaticAssets();
        var setupGate = app.Services.GetRequiredService<SetupGate>();
        app.Use(setupGate.InvokeAsync);
        app.UsePortal();
        app.MapControllers();
        app.MapGet("/", () => Results.Redirect("/admin"));
    }

    /// <summary>
    /// An error page is re-executed with the method of the request that failed. For a POST it would ask that POST's
    /// antiforgery token again: a form refused for its token, or posted to nothing, got an empty 400 instead of its page.
    /// The error page is read, so it is served as a GET.
    /// </summary>
    private static async Task ServeErrorPagesAsGet(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null &&
            context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>() is null)
        {
            await next(context);
            return;
        }
        var method = context.Request.Method;
        context.Request.Method = HttpMethods.Get;
        try { await next(context); }
        finally { context.Request.Method = method; }
    }
}

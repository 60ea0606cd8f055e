using System.Diagnostics;

namespace CmPortal.Tests.Infrastructure;

/// <summary>Runs the host binary's command line as a separate process, as a newcomer would.</summary>
public static class PortalCommand
{
    public static readonly string WebDll = Path.Combine(RecipeHostExtensions.RepositoryRoot, "src", "CmPortal.Web", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "CmPortal.Web.dll");

    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RecipeHostExtensions.RepositoryRoot };
        start.ArgumentList.Add(WebDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}

using static CmPortal.Tests.Infrastructure.PortalCommand;

namespace CmPortal.Tests.Integration;

/// <summary>A wrong setting stops the portal with one line that says which setting and how to fix it, never a stack trace.</summary>
public sealed class StartupSettingsTests
{
    [Theory]
    [InlineData("--Portal:PublicBaseUrl=cm.example.fr", "error: Portal:PublicBaseUrl is \"cm.example.fr\": it must be the portal's public address")]
    [InlineData("--Smtp:Host=smtp.example.fr --Smtp:From=cm-at-lumen", "error: Smtp:From is \"cm-at-lumen\": it must be the sender's address, e.g. \"CmPortal <cm@example.fr>\".")]
    public async Task A_wrong_setting_stops_the_start_with_what_to_fix(string settings, string message)
    {
        var data = Directory.CreateTempSubdirectory("cmportal-settings-").FullName;
        try
        {
            var (exit, _, err) = await RunAsync(["--data-dir", data, "--urls", "http://127.0.0.1:0", .. settings.Split(' ')]);
            Assert.Equal(1, exit);
            Assert.StartsWith(message, err);
            Assert.DoesNotContain("   at ", err);
        }
        finally { Directory.Delete(data, recursive: true); }
    }
}

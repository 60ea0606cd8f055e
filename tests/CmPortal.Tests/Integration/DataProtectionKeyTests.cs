using CmPortal.Core.Persistence;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Data Protection keys live in the database: a sign-in cookie or a channel secret protected on one node is read on
/// another, after a restart too, and an install that kept its keys in {data}/keys keeps its members signed in.
/// </summary>
public sealed class DataProtectionKeyTests
{
    private const string Purpose = "CmPortal.Tests.DataProtection";

    private static string Protect(PortalHost host, string text) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Protect(text);

    private static string Unprotect(PortalHost host, string payload) =>
        host.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose).Unprotect(payload);

    [Fact]
    public async Task Two_nodes_on_one_database_with_their_own_data_folders_read_each_others_secrets()
    {
        await using var first = await PortalHost.StartAsync(Provider.Postgres);
        var fromFirst = Protect(first, "mastodon-token-1");
        await using var second = first.StartAnotherNode(ownDataFolder: true);
        try
        {
            Assert.Equal("mastodon-token-1", Unprotect(second, fromFirst));
            Assert.Equal("webhook-secret-2", Unprotect(first, Protect(second, "webhook-secret-2")));
            Assert.False(Directory.Exists(Path.Combine(second.DataDirectory, "keys")));
        }
        finally
        {
            await second.DisposeAsync();
            try { Directory.Delete(second.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Keys_survive_a_restart()
    {
        var host = await PortalHost.StartAsync();
        var payload = Protect(host, "bluesky-app-password");
        host = await host.RestartAsync();
        await using (host)
        {
            Assert.Equal("bluesky-app-password", Unprotect(host, payload));
            var rows = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().DataProtectionKeys.CountAsync());
            Assert.Equal(1, rows);
        }
    }

    [Fact]
    public async Task Keys_an_older_install_kept_in_its_data_folder_are_imported_once()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cmportal-test-").FullName;
        var keys = new DirectoryInfo(Path.Combine(dataDirectory, "keys"));
        // What the portal did before: the file system key ring of the application "CmPortal".
        var legacy = DataProtectionProvider.Create(keys, b => b.SetApplicationName("CmPortal"));
        var payload = legacy.CreateProtector(Purpose).Protect("signed-in-before-the-upgrade");

        var host = await PortalHost.StartOnAsync(dataDirectory);
        try
        {
            Assert.Equal("signed-in-before-the-upgrade", Unprotect(host, payload));
            host = await host.RestartAsync();
            Assert.Equal("signed-in-before-the-upgrade", Unprotect(host, payload));
            var rows = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().DataProtectionKeys.CountAsync());
            Assert.Equal(keys.GetFiles("*.xml").Length, rows);
        }
        finally
        {
            await host.DisposeAsync();
            try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}

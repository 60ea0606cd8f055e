using System.Xml.Linq;
using CmPortal.Core.Persistence;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Security;

/// <summary>One Data Protection key (sign-in cookies, antiforgery tokens, channel secrets), as Data Protection wrote it.</summary>
public sealed class DataProtectionKey
{
    public Guid Id { get; set; }
    public string? FriendlyName { get; set; }
    public string Xml { get; set; } = "";
}

/// <summary>
/// Keeps Data Protection's keys in the portal's database (<c>Core_DataProtectionKeys</c>) so that every node of a
/// cluster reads and writes the same key ring: a cookie or a secret protected on one node is read on another. The EF
/// Core package for this is not on the registry; this is the small repository it would have been.
/// <para>
/// Installs older than this kept their keys in <c>{data}/keys</c>: the first read finds the table empty, copies those
/// files in once, so members stay signed in across the upgrade and secrets protected before stay readable.
/// </para>
/// </summary>
internal sealed class DatabaseKeyRepository(IServiceScopeFactory scopes, string legacyDirectory) : IXmlRepository
{
    private readonly Lock _import = new();
    private bool _imported;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        ImportLegacyKeysOnce();
        using var scope = new SyncScope(scopes);
        var db = scope.Services.GetRequiredService<CoreDbContext>();
        return db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.FriendlyName).Select(k => k.Xml).ToList()
            .Select(xml => XElement.Parse(xml)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = new SyncScope(scopes);
        var db = scope.Services.GetRequiredService<CoreDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey
        {
            Id = Guid.NewGuid(), FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        db.SaveChanges();
    }

    private void ImportLegacyKeysOnce()
    {
        lock (_import)
        {
            if (_imported) return;
            _imported = true;
            if (!Directory.Exists(legacyDirectory)) return;
            var files = Directory.GetFiles(legacyDirectory, "*.xml");
            if (files.Length == 0) return;
            using var scope = new SyncScope(scopes);
            var db = scope.Services.GetRequiredService<CoreDbContext>();
            if (db.DataProtectionKeys.Any()) return; // another node (or an earlier start) imported them already
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                var element = XElement.Load(file);
                db.DataProtectionKeys.Add(new DataProtectionKey
                {
                    Id = Guid.NewGuid(), FriendlyName = Path.GetFileNameWithoutExtension(file),
                    Xml = element.ToString(SaveOptions.DisableFormatting),
                });
            }
            db.SaveChanges();
        }
    }

    /// <summary>Data Protection calls the repository synchronously; the scope's connection only disposes asynchronously.</summary>
    private sealed class SyncScope(IServiceScopeFactory scopes) : IDisposable
    {
        private readonly AsyncServiceScope _scope = scopes.CreateAsyncScope();

        public IServiceProvider Services => _scope.ServiceProvider;

        public void Dispose() => _scope.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

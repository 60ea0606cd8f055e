using System.Security.Cryptography;
using CmPortal.Core.Caching;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Logos;
using CmPortal.Modules.BrandIdentity.Style;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.BrandIdentity.Data;

/// <summary>A stored version of a document, read back.</summary>
internal sealed record Revision<T>(T Document, BrandRevision? Row)
{
    public int Number => Row?.Number ?? 0;
}

/// <summary>Thrown when someone saved the document after the editor loaded it.</summary>
internal sealed class StaleRevisionException(int current) : Exception($"Revision {current} was saved meanwhile.")
{
    public int Current { get; } = current;
}

/// <summary>
/// Reads and saves the current workspace's editorial line and graphic charter. Every save that
/// changes something adds a numbered revision recording who, when and which fields changed.
/// </summary>
internal sealed class BrandIdentityStore(BrandIdentityDbContext db, WorkspaceContext workspace, BrandIdentityCache cache, IPublicPageCache pages, NodaTime.IClock clock)
{
    public async Task<EditorialLine> CurrentEditorialLineAsync(CancellationToken ct = default) =>
        (await CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct)).Document;

    public async Task<Revision<T>> CurrentAsync<T>(BrandDocument kind, CancellationToken ct = default) where T : new()
    {
        var row = await Latest(kind).FirstOrDefaultAsync(ct);
        return new(row is null ? new T() : DocumentChanges.Deserialize<T>(row.Content), row);
    }

    public Task<int> CurrentNumberAsync(BrandDocument kind, CancellationToken ct = default) =>
        Latest(kind).Select(r => r.Number).FirstOrDefaultAsync(ct);

    public Task<List<BrandRevision>> HistoryAsync(BrandDocument kind, CancellationToken ct = default) =>
        db.Revisions.AsNoTracking().Where(r => r.Document == kind).OrderByDescending(r => r.Number).ToListAsync(ct);

    public Task<BrandRevision?> RevisionAsync(BrandDocument kind, int number, CancellationToken ct = default) =>
        db.Revisions.AsNoTracking().FirstOrDefaultAsync(r => r.Document == kind && r.Number == number, ct);

    /// <summary>
    /// Saves the document as a new revision, or returns null when nothing changed. With
    /// <paramref name="basedOn"/>, refuses when a newer revision was saved since that one was read.
    /// </summary>
    public async Task<BrandRevision?> SaveAsync<T>(BrandDocument kind, T document, string author, int? basedOn = null, int? restoredFrom = null, CancellationToken ct = default)
    {
        var current = await Latest(kind).FirstOrDefaultAsync(ct);
        if (basedOn is { } read && (current?.Number ?? 0) != read) throw new StaleRevisionException(current?.Number ?? 0);
        var content = DocumentChanges.Serialize(document);
        var changes = DocumentChanges.Between(current?.Content, content);
        if (current is not null && changes.Count == 0) return null;
        var revision = new BrandRevision
        {
            Document = kind,
            Number = (current?.Number ?? 0) + 1,
            CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc(),
            Author = author.Length > 256 ? author[..256] : author,
            Changes = Summarize(changes),
            RestoredFrom = restoredFrom,
            Content = content,
        };
        db.Revisions.Add(revision);
        await db.SaveChangesAsync(ct);
        await InvalidateAsync(ct);
        return revision;
    }

    /// <summary>Stores a checked logo file once (by SHA-256) and returns the charter's reference to it.</summary>
    public async Task<LogoFile> AddLogoAsync(string name, CheckedLogo logo, CancellationToken ct = default)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(logo.Content));
        if (!await db.Logos.AnyAsync(l => l.Sha256 == sha, ct))
        {
            db.Logos.Add(new BrandLogo { Sha256 = sha, ContentType = logo.ContentType, Content = logo.Content, CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc() });
            await db.SaveChangesAsync(ct);
        }
        return new LogoFile { Name = name, Sha256 = sha, ContentType = logo.ContentType, Width = logo.Width, Height = logo.Height };
    }

    /// <summary>
    /// The charter's reference to a logo this workspace stored, described from the stored file itself
    /// (type and size), never from what a form posted back; null when the workspace has no such file.
    /// </summary>
    public async Task<LogoFile?> StoredLogoAsync(string name, string sha256, CancellationToken ct = default)
    {
        if (await LogoAsync(sha256, ct) is not { } stored) return null;
        var (logo, _) = LogoFiles.Check(name, stored.Content);
        return new LogoFile { Name = name, Sha256 = stored.Sha256, ContentType = stored.ContentType, Width = logo?.Width, Height = logo?.Height };
    }

    /// <summary>A stored logo file (PNG or SVG); null for an unknown hash or a font file.</summary>
    public Task<BrandLogo?> LogoAsync(string sha256, CancellationToken ct = default) =>
        db.Logos.AsNoTracking().FirstOrDefaultAsync(l => l.Sha256 == sha256 && (l.ContentType == LogoFiles.Png || l.ContentType == LogoFiles.Svg), ct);

    /// <summary>Stores a checked WOFF2 file once (by SHA-256, beside the logo files) and returns the charter's reference to it.</summary>
    public async Task<OwnFont> AddFontAsync(string family, int weight, byte[] content, CancellationToken ct = default)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!await db.Logos.AnyAsync(l => l.Sha256 == sha, ct))
        {
            db.Logos.Add(new BrandLogo { Sha256 = sha, ContentType = FontFiles.Woff2, Content = content, CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc() });
            await db.SaveChangesAsync(ct);
        }
        return new OwnFont { Family = family, Weight = weight, Sha256 = sha };
    }

    /// <summary>A stored font file of this workspace; null for an unknown hash or a logo file.</summary>
    public Task<BrandLogo?> FontFileAsync(string sha256, CancellationToken ct = default) =>
        db.Logos.AsNoTracking().FirstOrDefaultAsync(l => l.Sha256 == sha256 && l.ContentType == FontFiles.Woff2, ct);

    private IQueryable<BrandRevision> Latest(BrandDocument kind) =>
        db.Revisions.AsNoTracking().Where(r => r.Document == kind).OrderByDescending(r => r.Number);

    /// <summary>The site shows the change on the next request.</summary>
    public async Task InvalidateAsync(CancellationToken ct = default)
    {
        cache.Invalidate(workspace.Required.Id);
        await pages.EvictAsync(workspace.Required.Id, ct);
    }

    private static string Summarize(List<string> changes)
    {
        const int max = 60;
        var lines = changes.Take(max).ToList();
        if (changes.Count > max) lines.Add($"… (+{changes.Count - max})");
        return string.Join('\n', lines);
    }
}

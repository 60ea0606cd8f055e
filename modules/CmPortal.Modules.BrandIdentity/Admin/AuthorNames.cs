using CmPortal.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>
/// Who saved a revision, as the team knows them: revisions record the author's e-mail (stable, unique),
/// pages show the display name the person chose. One query for a whole history page.
/// </summary>
internal sealed class AuthorNames(CoreDbContext core)
{
    /// <summary>Display names by e-mail (case-insensitive); an address without an account (deleted since) is absent.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ForAsync(IEnumerable<string> emails, CancellationToken ct)
    {
        var normalized = emails.Where(e => e.Contains('@')).Select(e => e.ToUpperInvariant()).Distinct().ToList();
        if (normalized.Count == 0) return new Dictionary<string, string>();
        var users = await core.Users.AsNoTracking().Where(u => normalized.Contains(u.NormalizedEmail))
            .Select(u => new { u.Email, u.DisplayName }).ToListAsync(ct);
        return users.ToDictionary(u => u.Email, u => u.DisplayName, StringComparer.OrdinalIgnoreCase);
    }
}

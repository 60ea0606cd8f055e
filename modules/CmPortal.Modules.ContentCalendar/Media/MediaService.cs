using System.Security.Cryptography;
using CmPortal.Core;
using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Media;

/// <summary>What a media operation gave: the item, or the problems (nothing stored).</summary>
internal sealed record MediaOutcome(MediaItem? Item, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => Item is not null && Problems.Count == 0;
    public bool IsNotFound { get; init; }
    public bool IsForbidden { get; init; }

    /// <summary>The same bytes were already in the library: that item is given back, nothing new stored.</summary>
    public bool WasThere { get; init; }

    public static MediaOutcome Refused(params Problem[] problems) => new(null, problems);
    public static readonly MediaOutcome NotFound = new(null, [new Problem(null, "This image is no longer in the media library.")]) { IsNotFound = true };
    public static MediaOutcome Forbidden() => new(null, [new Problem(null, "You may not change the media library of this workspace.")]) { IsForbidden = true };
}

/// <summary>
/// The rules of the workspace's media library: what an image for a post may be (JPEG, PNG, GIF or WebP by its bytes,
/// at most 8 MB, never SVG), its alt text, the same image stored once, and no deleting an image a post still uses.
/// The admin page, the editor's upload and later imports all call it.
/// </summary>
internal sealed class MediaService(CalendarDbContext db, IClock clock)
{
    public const int MaxBytes = 8 * 1024 * 1024;
    public const int MaxAltText = 1500;
    private const int MaxFileName = 255;

    public async Task<IReadOnlyList<MediaItem>> ListAsync(CancellationToken ct = default) =>
        await db.Media.AsNoTracking().OrderByDescending(m => m.CreatedUtc).ThenBy(m => m.FileName).ToListAsync(ct);

    public Task<MediaItem?> FindAsync(Guid id, CancellationToken ct = default) => db.Media.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);

    /// <summary>The image and its bytes, to serve them.</summary>
    public async Task<(MediaItem Item, byte[] Content)?> ContentAsync(Guid id, CancellationToken ct = default)
    {
        var item = await FindAsync(id, ct);
        if (item is null) return null;
        var file = await db.MediaFiles.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct);
        return file is null ? null : (item, file.Content);
    }

    /// <summary>Adds an image read from <paramref name="content"/> (at most <see cref="MaxBytes"/> are read).</summary>
    public async Task<MediaOutcome> UploadAsync(string? fileName, Stream content, string? altText, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Write.Name)) return MediaOutcome.Forbidden();
        var name = CleanName(fileName);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
                return MediaOutcome.Refused(new Problem("file", "“{0}” is too big: an image for a post is at most {1} MB.", name, MaxBytes / (1024 * 1024)));
        }
        if (buffer.Length == 0) return MediaOutcome.Refused(new Problem("file", "Choose an image to upload."));
        var bytes = buffer.ToArray();

        var probe = ImageHeader.Read(bytes);
        if (probe.Kind == ImageKind.Svg)
            return MediaOutcome.Refused(new Problem("file", "“{0}” is an SVG drawing: networks do not take SVG in posts. Export it as PNG or JPEG, then upload it.", name));
        if (probe.Kind == ImageKind.NotAnImage)
            return MediaOutcome.Refused(new Problem("file", "“{0}” is not a JPEG, PNG, GIF or WebP image, whatever its name says.", name));
        if (CheckAlt(altText) is { } altProblem) return MediaOutcome.Refused(altProblem);

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var existing = await db.Media.FirstOrDefaultAsync(m => m.Sha256 == sha, ct);
        if (existing is not null)
        {
            // The same image again: reuse it; a description given now fills a missing one, never replaces one.
            if (string.IsNullOrWhiteSpace(existing.AltText) && Blank(altText) is { } given)
            {
                existing.AltText = given;
                await db.SaveChangesAsync(ct);
            }
            return new MediaOutcome(existing, []) { WasThere = true };
        }

        var item = new MediaItem
        {
            Id = Guid.NewGuid(), FileName = name, ContentType = probe.ContentType, Size = bytes.Length, Width = probe.Width, Height = probe.Height,
            Sha256 = sha, AltText = Blank(altText), UploadedBy = actor.UserId, CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc(),
        };
        db.Media.Add(item);
        db.MediaFiles.Add(new MediaFile { Id = item.Id, Content = bytes });
        await db.SaveChangesAsync(ct);
        return new MediaOutcome(item, []);
    }

    /// <summary>Sets what the image shows, for people who cannot see it (empty: not described yet).</summary>
    public async Task<MediaOutcome> DescribeAsync(Guid id, string? altText, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Write.Name)) return MediaOutcome.Forbidden();
        var item = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (item is null) return MediaOutcome.NotFound;
        if (CheckAlt(altText) is { } problem) return MediaOutcome.Refused(problem);
        item.AltText = Blank(altText);
        await db.SaveChangesAsync(ct);
        return new MediaOutcome(item, []);
    }

    /// <summary>Deletes an image no post uses; while posts use it, says which.</summary>
    public async Task<MediaOutcome> DeleteAsync(Guid id, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Write.Name)) return MediaOutcome.Forbidden();
        var item = await db.Media.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (item is null) return MediaOutcome.NotFound;
        var users = await UsersAsync(id, ct);
        if (users.Count > 0)
            return MediaOutcome.Refused(new Problem(null, "The image “{0}” is used by these posts: {1}. Remove it from them first.",
                item.FileName, ProblemValue.List(users.Select(u => (object?)$"“{u.Title}”"))));
        db.Media.Remove(item);
        await db.MediaFiles.Where(f => f.Id == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return new MediaOutcome(item, []);
    }

    /// <summary>The posts that show the image, by the main text's media or a variant's.</summary>
    public async Task<IReadOnlyList<MediaUse>> UsersAsync(Guid id, CancellationToken ct = default)
    {
        var key = id.ToString();
        var posts = await db.Posts.AsNoTracking()
            .Where(p => (p.Media != null && p.Media.Contains(key)) || p.Variants.Any(v => v.Media != null && v.Media.Contains(key)))
            .OrderBy(p => p.StartsLocal).Select(p => new { p.Id, p.Text }).Take(20).ToListAsync(ct);
        return posts.Select(p => new MediaUse(p.Id, PostEvents.Excerpt(p.Text, 40))).ToList();
    }

    /// <summary>How many posts use each image, for the library's list.</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> UseCountsAsync(CancellationToken ct = default)
    {
        var joined = await db.Posts.AsNoTracking().Select(p => new { p.Media, Variants = p.Variants.Select(v => v.Media).ToList() }).ToListAsync(ct);
        var counts = new Dictionary<Guid, int>();
        foreach (var post in joined)
            foreach (var id in PostRules.SplitIds(post.Media).Concat(post.Variants.SelectMany(PostRules.SplitIds)).Distinct())
                counts[id] = counts.GetValueOrDefault(id) + 1;
        return counts;
    }

    private static Problem? CheckAlt(string? altText) =>
        altText is { Length: > MaxAltText } ? new Problem("altText", "The description is {0} characters long; the most is {1}.", altText.Length, MaxAltText)
        : !TextRules.IsSafeMultiLine(altText) ? new Problem("altText", "The text holds {0}, which could hide or reorder what readers see. Remove it.",
            ProblemValue.Character(altText![TextRules.IndexOfUnsafe(altText, singleLine: false)]))
        : null;

    /// <summary>The name as the person's computer had it, without folders or invisible characters.</summary>
    private static string CleanName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/')).Trim();
        name = new string(name.Where(c => !TextRules.IsUnsafe(c, singleLine: true)).ToArray());
        if (name.Length == 0) name = "image";
        return name.Length > MaxFileName ? name[..MaxFileName] : name;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>A post using an image, named by the start of its text.</summary>
internal sealed record MediaUse(Guid PostId, string Title);

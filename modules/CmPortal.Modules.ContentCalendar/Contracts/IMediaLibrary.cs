namespace CmPortal.Modules.ContentCalendar.Contracts;

/// <summary>An image of the workspace's media library, as other modules see it (the blog's covers).</summary>
/// <param name="AltText">What the image shows, for people who cannot see it; null when not described yet.</param>
public sealed record MediaImage(Guid Id, string FileName, string ContentType, int Width, int Height, string? AltText, long Length);

/// <summary>
/// Reads the current workspace's media library (the content calendar owns it): other modules pick and show its
/// images without writing to it.
/// </summary>
public interface IMediaLibrary
{
    /// <summary>The images, newest first.</summary>
    Task<IReadOnlyList<MediaImage>> ListAsync(CancellationToken ct = default);

    /// <summary>The image, or null when it is not (or no longer) in the library.</summary>
    Task<MediaImage?> FindAsync(Guid id, CancellationToken ct = default);

    /// <summary>The image's bytes, or null when it is not in the library.</summary>
    Task<byte[]?> ReadBytesAsync(Guid id, CancellationToken ct = default);
}

using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Media;

/// <summary><see cref="IMediaLibrary"/> over <see cref="MediaService"/>: reading only, filtered to the current workspace.</summary>
internal sealed class MediaLibrary(MediaService media) : IMediaLibrary
{
    public async Task<IReadOnlyList<MediaImage>> ListAsync(CancellationToken ct = default) => (await media.ListAsync(ct)).Select(Of).ToList();

    public async Task<MediaImage?> FindAsync(Guid id, CancellationToken ct = default) => await media.FindAsync(id, ct) is { } item ? Of(item) : null;

    public async Task<byte[]?> ReadBytesAsync(Guid id, CancellationToken ct = default) => (await media.ContentAsync(id, ct))?.Content;

    private static MediaImage Of(MediaItem item) => new(item.Id, item.FileName, item.ContentType, item.Width, item.Height, item.AltText, item.Size);
}

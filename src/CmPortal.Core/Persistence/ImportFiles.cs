using System.Security.Cryptography;

namespace CmPortal.Core.Persistence;

/// <summary>
/// Uploaded files between their preview and their import, kept on the server (never sent back through the page):
/// in the data directory's <c>imports</c> folder, readable by the portal's account only, named by the workspace, the
/// member and a random key, deleted once imported or after a day.
/// </summary>
public sealed class ImportFiles(DatabaseOptions database)
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);
    private string Folder => Path.Combine(database.DataDirectory, "imports");

    public async Task<string> SaveAsync(Guid workspaceId, Guid userId, byte[] bytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        foreach (var old in new DirectoryInfo(Folder).EnumerateFiles("*.csv").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow - KeptFor))
            old.Delete();
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(PathOf(workspaceId, userId, key), options))
            await stream.WriteAsync(bytes, ct);
        return key;
    }

    /// <summary>The file of this member in this workspace under <paramref name="key"/>; null if there is none (or no longer).</summary>
    public async Task<byte[]?> LoadAsync(Guid workspaceId, Guid userId, string key, CancellationToken ct)
    {
        if (key.Length != 32 || !key.All(char.IsAsciiHexDigitLower)) return null;
        var path = PathOf(workspaceId, userId, key);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct) : null;
    }

    public void Delete(Guid workspaceId, Guid userId, string key)
    {
        if (key.Length == 32 && key.All(char.IsAsciiHexDigitLower)) File.Delete(PathOf(workspaceId, userId, key));
    }

    private string PathOf(Guid workspaceId, Guid userId, string key) => Path.Combine(Folder, $"{workspaceId:N}.{userId:N}.{key}.csv");
}

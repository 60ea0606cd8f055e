using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>A spelling dictionary for one language, safe to use from several threads.</summary>
internal interface ISpellChecker
{
    /// <summary>Two-letter language code, e.g. "fr".</summary>
    string Language { get; }

    bool IsCorrect(string word);

    /// <summary>At most <paramref name="max"/> corrections, best first; empty when the dictionary has none.</summary>
    IReadOnlyList<string> Suggest(string word, int max);
}

/// <summary>
/// One Hunspell dictionary opened through the system library (Debian: libhunspell-1.7-0).
/// Words are passed in the dictionary's own encoding (its <c>SET</c> line: UTF-8 or ISO-8859-x).
/// A Hunspell handle is not thread-safe: every call takes the instance's lock.
/// </summary>
internal sealed class Hunspell : ISpellChecker, IDisposable
{
    private readonly HunspellHandle _handle;
    private readonly Encoding _encoding;
    private readonly Lock _lock = new();

    private Hunspell(string language, HunspellHandle handle, Encoding encoding)
    {
        Language = language;
        _handle = handle;
        _encoding = encoding;
    }

    public string Language { get; }

    /// <summary>The dictionary's encoding, as Hunspell reports it (e.g. "UTF-8").</summary>
    public string EncodingName => _encoding.WebName;

    /// <summary>Opens a dictionary from its .aff and .dic files.</summary>
    /// <exception cref="FileNotFoundException">One of the files is missing (Hunspell itself would open an empty dictionary).</exception>
    /// <exception cref="DllNotFoundException">libhunspell is not installed.</exception>
    /// <exception cref="EntryPointNotFoundException">The library found is not Hunspell 1.x.</exception>
    public static Hunspell Open(string language, string affPath, string dicPath)
    {
        foreach (var path in new[] { affPath, dicPath })
            if (!File.Exists(path)) throw new FileNotFoundException($"Hunspell dictionary file {path} not found.", path);

        var handle = Native.Hunspell_create(NullTerminated(Encoding.UTF8, affPath), NullTerminated(Encoding.UTF8, dicPath));
        if (handle.IsInvalid) throw new InvalidOperationException($"Hunspell could not open {affPath} and {dicPath}.");
        try
        {
            var name = Marshal.PtrToStringUTF8(Native.Hunspell_get_dic_encoding(handle)) ?? "UTF-8";
            return new Hunspell(language, handle, EncodingFor(name));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public bool IsCorrect(string word)
    {
        if (!TryEncode(word, out var bytes)) return true; // not writable in this dictionary: it cannot judge it
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            return Native.Hunspell_spell(_handle, bytes) != 0;
        }
    }

    public IReadOnlyList<string> Suggest(string word, int max)
    {
        if (max <= 0 || !TryEncode(word, out var bytes)) return [];
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            var count = Native.Hunspell_suggest(_handle, out var list, bytes);
            if (count <= 0 || list == IntPtr.Zero) return [];
            try
            {
                var suggestions = new List<string>(Math.Min(count, max));
                for (var i = 0; i < count && suggestions.Count < max; i++)
                {
                    var entry = Marshal.ReadIntPtr(list, i * IntPtr.Size);
                    if (entry != IntPtr.Zero) suggestions.Add(Decode(entry));
                }
                return suggestions;
            }
            finally
            {
                Native.Hunspell_free_list(_handle, ref list, count);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock) _handle.Dispose();
    }

    private bool TryEncode(string word, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(word) || word.Contains('\0')) return false;
        try
        {
            bytes = NullTerminated(_encoding, word);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private string Decode(IntPtr text)
    {
        var length = 0;
        while (Marshal.ReadByte(text, length) != 0) length++;
        var bytes = new byte[length];
        Marshal.Copy(text, bytes, 0, length);
        return _encoding.GetString(bytes);
    }

    private static byte[] NullTerminated(Encoding encoding, string text)
    {
        var bytes = new byte[encoding.GetByteCount(text) + 1];
        encoding.GetBytes(text, 0, text.Length, bytes, 0);
        return bytes;
    }

    /// <summary>Hunspell's encoding names ("UTF-8", "ISO8859-1", "ISO8859-15", "microsoft-cp1251", "KOI8-R") as .NET encodings that throw on unmappable text.</summary>
    internal static Encoding EncodingFor(string hunspellName)
    {
        var name = hunspellName.Trim();
        if (name.Equals("UTF-8", StringComparison.OrdinalIgnoreCase) || name.Equals("UTF8", StringComparison.OrdinalIgnoreCase))
            return new UTF8Encoding(false, throwOnInvalidBytes: false);
        if (name.StartsWith("ISO8859-", StringComparison.OrdinalIgnoreCase)) name = "ISO-8859-" + name["ISO8859-".Length..];
        if (name.StartsWith("microsoft-cp", StringComparison.OrdinalIgnoreCase)) name = "windows-" + name["microsoft-cp".Length..];
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            // Only UTF-8, Latin-1 and ASCII are built in; the other ISO-8859-x and Windows code pages come from this provider.
            return CodePagesEncodingProvider.Instance.GetEncoding(name, EncoderFallback.ExceptionFallback, DecoderFallback.ReplacementFallback)
                ?? throw new NotSupportedException($"Hunspell dictionary encoding \"{hunspellName}\" is not supported.");
        }
    }

    private sealed class HunspellHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            Native.Hunspell_destroy(handle);
            return true;
        }
    }

    /// <summary>The C API of hunspell/hunspell.h (Hunspell 1.7).</summary>
    private static class Native
    {
        private const string Library = "libhunspell-1.7.so.0";

        [DllImport(Library)]
        public static extern HunspellHandle Hunspell_create(byte[] affpath, byte[] dpath);

        [DllImport(Library)]
        public static extern void Hunspell_destroy(IntPtr handle);

        [DllImport(Library)]
        public static extern int Hunspell_spell(HunspellHandle handle, byte[] word);

        [DllImport(Library)]
        public static extern IntPtr Hunspell_get_dic_encoding(HunspellHandle handle);

        [DllImport(Library)]
        public static extern int Hunspell_suggest(HunspellHandle handle, out IntPtr list, byte[] word);

        [DllImport(Library)]
        public static extern void Hunspell_free_list(HunspellHandle handle, ref IntPtr list, int count);
    }
}

using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Core;
using CmPortal.Core.Admin;
using CmPortal.Core.Localization;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Modules.KeyDates.Recipes;

namespace CmPortal.Tests.Unit;

/// <summary>
/// The French UI stays complete: every English text the code passes to <c>T[...]</c> — literally in
/// views and controllers, or by value (module names, permissions, menu entries, roles, themes) —
/// has a French translation in the merged table, and translations keep their placeholders.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string[] ScannedFolders = ["src", "modules", "themes"];

    /// <summary><c>T["..."]</c> or <c>T[@"..."]</c>, in C# and in Razor (<c>@T["..."]</c>).</summary>
    [GeneratedRegex("""\bT\[\s*(?:"(?<regular>(?:[^"\\\r\n]|\\.)*)"|@"(?<verbatim>(?:[^"]|"")*)")""")]
    private static partial Regex LiteralKey();

    /// <summary>
    /// Texts declared in code that pages show through the localizer: a rule's <c>new Problem(field, "template", ...)</c>,
    /// a recipe step's <c>context.Error(field, "template", ...)</c> (and the recipe file checks' <c>Error(path, ...)</c>,
    /// <c>Fail(file, field, ...)</c>), a template given to <c>T.Template("...", ...)</c>, a declared value
    /// (<c>ProblemValue.Declared("...")</c>), a dashboard card's title, lines and link text. The field may be
    /// null, a literal, an interpolated path or an expression; a template may be literals joined with <c>+</c>.
    /// </summary>
    [GeneratedRegex("""(?:(?:new Problem|\bError|\bFail\(\s*\w+\s*,)\(?\s*(?:null|\$?"[^"\r\n]*"|[\w.!]+(?:\([^()]*\))?)\s*,|new DashboardLine\(|new DashboardCard\(|LinkText:|new RecipeChange\(|Label\s*=>|\b[Tt]emplate\(|ProblemValue\.Declared\()\s*(?<concat>"(?:[^"\\\r\n]|\\.)*"(?:\s*\+\s*"(?:[^"\\\r\n]|\\.)*")*)(?=\s*[,)])""")]
    private static partial Regex ProblemTemplate();

    /// <summary>One regular string literal, its text in the group.</summary>
    [GeneratedRegex("""
        "(?<regular>(?:[^"\\\r\n]|\\.)*)"
        """)]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<!\{)\{(\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();

    /// <summary>The module and theme assemblies the portal finds, without the test fixtures.</summary>
    private static IReadOnlyList<Assembly> PortalAssemblies() =>
        ModuleCatalog.PortalAssemblies()
            .Where(a => !(a.GetName().Name ?? "").StartsWith("CmPortal.Fixtures", StringComparison.Ordinal))
            .ToList();

    /// <summary>
    /// The assemblies whose fr.json the portal merges, as <see cref="PortalEngine"/> does.
    /// </summary>
    private static IReadOnlyList<Assembly> TranslatedAssemblies() =>
        PortalAssemblies().Append(typeof(PortalEngine).Assembly).Append(typeof(CmPortal.Web.PortalProgram).Assembly).Distinct().ToList();

    [Fact]
    public void Every_text_passed_to_the_localizer_has_a_French_translation()
    {
        var french = new PortalTranslations(TranslatedAssemblies()).Table("fr");
        var keys = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        void Add(string key, string origin)
        {
            if (!keys.TryGetValue(key, out var origins)) keys[key] = origins = new SortedSet<string>(StringComparer.Ordinal);
            origins.Add(origin);
        }

        var literals = 0;
        foreach (var (key, file) in LiteralKeys())
        {
            Add(key, file);
            literals++;
        }
        Assert.True(literals > 50, $"Only {literals} literal T[\"...\"] keys found under {string.Join(", ", ScannedFolders)}: is the scan broken?");

        var portal = PortalAssemblies();
        var catalog = ModuleCatalog.FromAssemblies(portal);
        Assert.NotEmpty(catalog.Modules);
        Assert.DoesNotContain(catalog.Modules, m => m.GetType().Assembly.GetName().Name!.StartsWith("CmPortal.Fixtures", StringComparison.Ordinal));
        foreach (var module in catalog.Modules)
        {
            var origin = $"module {module.Id}";
            Add(module.Name, origin + " (name; also its group on the roles page)");
            Add(module.Description, origin + " (description)");
            Add(module.Category, origin + " (category)");
            foreach (var permission in module.Permissions) Add(permission.Description, $"{origin} (permission {permission.Name})");
            var menu = new AdminMenuBuilder(module.Id);
            module.BuildAdminMenu(menu);
            foreach (var item in menu.Items)
            {
                Add(item.Section, $"{origin} (admin menu section)");
                Add(item.Text, $"{origin} (admin menu entry)");
            }
        }

        foreach (var item in EngineMenuItems())
        {
            Add(item.Section, "engine admin menu section");
            Add(item.Text, "engine admin menu entry");
        }
        foreach (var permission in CorePermissions.All) Add(permission.Description, $"engine permission {permission.Name}");
        // ModuleFeatures.GrantableAsync groups the engine's permissions under this name on the roles page.
        Add("Workspace", "engine permission group");
        foreach (var role in DefaultRoles.All) Add(role, "default role");
        foreach (var theme in ThemeCatalog.FromAssemblies(portal).SiteThemes) Add(theme.Name, $"site theme {theme.Id} (settings page)");

        // The key dates views pass the category's enum name to T[...]; pages show the names of unsafe characters a rule reports.
        foreach (var category in Enum.GetNames<KeyDateCategory>()) Add(category, "KeyDates category (enum name)");
        foreach (var name in TextRules.CharacterNames) Add(name, "character name (ProblemValue.Character)");

        var missing = keys.Where(k => !french.TryGetValue(k.Key, out var value) || string.IsNullOrWhiteSpace(value)).ToList();
        if (missing.Count > 0)
        {
            var report = new StringBuilder($"{missing.Count} text(s) of {keys.Count} have no French translation in any Localization/fr.json:");
            foreach (var (key, origins) in missing) report.Append($"\n  {JsonSerializer.Serialize(key, JsonOptions)}  <- {string.Join("; ", origins)}");
            Assert.Fail(report.ToString());
        }
    }

    [Fact]
    public void Translations_keep_the_placeholders_of_their_key()
    {
        var wrong = new List<string>();
        foreach (var (resource, entries) in FrenchFiles())
        foreach (var (key, value) in entries)
        {
            var expected = Placeholders(key);
            var actual = Placeholders(value);
            if (!expected.SequenceEqual(actual))
                wrong.Add($"{resource}: {JsonSerializer.Serialize(key, JsonOptions)} has [{string.Join(", ", expected)}] but its translation has [{string.Join(", ", actual)}]");
        }
        Assert.True(wrong.Count == 0, "Translations whose placeholders differ from their key's:\n  " + string.Join("\n  ", wrong));
    }

    [Fact]
    public void A_text_translated_in_several_assemblies_reads_the_same_everywhere()
    {
        var values = new Dictionary<string, List<(string Resource, string Value)>>(StringComparer.Ordinal);
        foreach (var (resource, entries) in FrenchFiles())
        foreach (var (key, value) in entries)
        {
            if (!values.TryGetValue(key, out var list)) values[key] = list = [];
            list.Add((resource, value));
        }
        var differing = values.Where(v => v.Value.Select(x => x.Value).Distinct().Count() > 1)
            .Select(v => $"{JsonSerializer.Serialize(v.Key, JsonOptions)}: " + string.Join(" / ", v.Value.Select(x => $"{x.Resource} = {JsonSerializer.Serialize(x.Value, JsonOptions)}")))
            .ToList();
        Assert.True(differing.Count == 0, "The merged table keeps only one of these; make them identical:\n  " + string.Join("\n  ", differing));
    }

    /// <summary>
    /// IViewLocalizer writes a translation into the page without HTML-encoding it (only its arguments are),
    /// sometimes inside an attribute or a script (<c>confirm('…')</c>): French texts use ’ and « », not ' and ".
    /// </summary>
    [Fact]
    public void Translations_are_safe_to_write_unencoded_into_a_page()
    {
        var unsafeValues = FrenchFiles()
            .SelectMany(f => f.Entries.Select(e => (f.Resource, e.Key, e.Value)))
            .Where(e => e.Value.IndexOfAny(['\'', '"']) >= 0 || e.Value.Where(c => c is '<' or '>' or '&').Any(c => !e.Key.Contains(c)))
            .Select(e => $"{e.Resource}: {JsonSerializer.Serialize(e.Key, JsonOptions)} = {JsonSerializer.Serialize(e.Value, JsonOptions)}")
            .ToList();
        Assert.True(unsafeValues.Count == 0, "Use ’ for apostrophes and « » for quotes in translations:\n  " + string.Join("\n  ", unsafeValues));
    }

    /// <summary>
    /// French typography: a no-break space (U+00A0, or narrow U+202F) before <c>: ; ! ?</c> and <c>%</c>, inside « », and
    /// between groups of digits (<c>63 206</c>), so a line never breaks before the sign. A sign not followed by a space
    /// (<c>https://</c>, <c>4:5</c>, a query string) is code-like and left alone; placeholders' formats (<c>{0:d MMMM}</c>) too.
    /// </summary>
    [Fact]
    public void French_translations_keep_a_no_break_space_before_double_punctuation_and_inside_numbers()
    {
        var wrong = new List<string>();
        foreach (var (resource, entries) in FrenchFiles())
        foreach (var (key, value) in entries)
        {
            var problems = TypographyProblems(value).ToList();
            if (problems.Count > 0)
                wrong.Add($"{resource}: {JsonSerializer.Serialize(key, JsonOptions)} = {JsonSerializer.Serialize(value, JsonOptions)}: {string.Join("; ", problems)}");
        }
        Assert.True(wrong.Count == 0, "French translations without the no-break space (U+00A0) French typography needs:\n  " + string.Join("\n  ", wrong));
    }

    [Theory]
    [InlineData("Version {0} : publiée", true)]
    [InlineData("Version {0}\u00a0: publiée", false)]
    [InlineData("Bienvenue !", true)]
    [InlineData("Bienvenue!", true)]
    [InlineData("Bienvenue\u202f!", false)]
    [InlineData("« {0} » existe déjà.", true)]
    [InlineData("«\u00a0{0}\u00a0» existe déjà.", false)]
    [InlineData("{0} % des publications", true)]
    [InlineData("{0}% des publications", true)]
    [InlineData("{0}\u00a0% des publications", false)]
    [InlineData("plus de 63 206 abonnés", true)]
    [InlineData("plus de 63\u202f206 abonnés", false)]
    [InlineData("Écrivez largeur:hauteur, par exemple 4:5, ou https://exemple.fr?x=1.", false)]
    [InlineData("{0:d MMMM}\u00a0: {1}", false)]
    public void The_typography_check_tells_a_normal_space_from_a_no_break_one(string french, bool wrong) =>
        Assert.Equal(wrong, TypographyProblems(french).Any());

    private static IEnumerable<string> TypographyProblems(string value)
    {
        var text = Regex.Replace(value, @"\{(\d+)[,:][^}]*\}", "{$1}"); // a placeholder's format is code
        const string NoBreak = "\u00a0\u202f";
        foreach (Match m in Regex.Matches(text, $@"(?<=^|[^{NoBreak}])[:;!?](?=\s|$)"))
            yield return $"no no-break space before “{m.Value}” at {m.Index + 1}";
        foreach (Match m in Regex.Matches(text, $@"(?<=[^{NoBreak}])%"))
            if (m.Index > 0 && (char.IsDigit(text[m.Index - 1]) || text[m.Index - 1] is '}' or ' ')) yield return $"no no-break space before “%” at {m.Index + 1}";
        foreach (Match m in Regex.Matches(text, $@"«(?=[^{NoBreak}])|(?<=[^{NoBreak}])»"))
            yield return $"no no-break space inside “{m.Value}” at {m.Index + 1}";
        foreach (Match m in Regex.Matches(text, @"\d \d{3}(?!\d)"))
            yield return $"a normal space inside the number “{m.Value}”";
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static IReadOnlyList<string> Placeholders(string text) =>
        Placeholder().Matches(text.Replace("{{", "").Replace("}}", "")).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The engine's own menu entries (Dashboard, Settings…), built once in a private field of <see cref="AdminMenu"/>.</summary>
    private static IReadOnlyList<AdminMenuItem> EngineMenuItems()
    {
        var field = typeof(AdminMenu).GetField("EngineItems", BindingFlags.NonPublic | BindingFlags.Static);
        Assert.True(field is not null, "AdminMenu.EngineItems is gone: update TranslationTests to find the engine's menu entries.");
        var items = (IReadOnlyList<AdminMenuItem>)field.GetValue(null)!;
        Assert.NotEmpty(items);
        return items;
    }

    /// <summary>Every embedded fr.json, as the portal reads them.</summary>
    private static IEnumerable<(string Resource, Dictionary<string, string> Entries)> FrenchFiles()
    {
        foreach (var assembly in TranslatedAssemblies())
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(".Localization.") && n.EndsWith(".fr.json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            yield return ($"{assembly.GetName().Name}:{resource}", JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!);
        }
    }

    /// <summary>Literal keys of <c>T[...]</c> in the repository's C# and Razor sources, with the file they are in.</summary>
    private static IEnumerable<(string Key, string File)> LiteralKeys()
    {
        var root = RepositoryRoot();
        foreach (var folder in ScannedFolders)
        foreach (var path in Directory.EnumerateFiles(Path.Combine(root, folder), "*.*", SearchOption.AllDirectories))
        {
            if (!(path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".cshtml", StringComparison.Ordinal))) continue;
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj" or "node_modules")) continue;
            var source = File.ReadAllText(path);
            foreach (Match match in LiteralKey().Matches(source).Concat(ProblemTemplate().Matches(source)))
            {
                var key = match.Groups["concat"].Success
                    ? string.Concat(StringLiteral().Matches(match.Groups["concat"].Value).Select(m => Unescape(m.Groups["regular"].Value)))
                    : match.Groups["regular"].Success ? Unescape(match.Groups["regular"].Value) : match.Groups["verbatim"].Value.Replace("\"\"", "\"");
                if (key != "{0}") yield return (key, relative); // "{0}": a message shown as given (e.g. Identity's)
            }
        }
    }

    /// <summary>Reads the escape sequences of a regular C# string literal.</summary>
    private static string Unescape(string literal)
    {
        var text = new StringBuilder(literal.Length);
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] != '\\' || i + 1 == literal.Length) { text.Append(literal[i]); continue; }
            var c = literal[++i];
            switch (c)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case '0': text.Append('\0'); break;
                case 'u' when i + 4 < literal.Length:
                    text.Append((char)Convert.ToInt32(literal.Substring(i + 1, 4), 16));
                    i += 4;
                    break;
                default: text.Append(c); break; // \" \' \\
            }
        }
        return text.ToString();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CmPortal.sln"))) return directory.FullName;
        throw new InvalidOperationException($"CmPortal.sln not found above {AppContext.BaseDirectory}.");
    }
}

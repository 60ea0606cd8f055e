using System.Diagnostics;
using System.Text;
using CmPortal.Core.Recipes;

namespace CmPortal.Tests.Unit;

/// <summary>
/// What the portal refuses in a recipe file before it looks at any step: duplicate keys, bytes that are not UTF-8,
/// unsafe characters, nesting too deep, too many bytes or steps, bad parameter declarations. Each refusal names
/// the file and says where and what to do.
/// </summary>
public sealed class RecipeFileTests
{
    private static RecipeException Refuse(string json) => Refuse(Encoding.UTF8.GetBytes(json));

    private static RecipeException Refuse(byte[] bytes) =>
        Assert.Throws<RecipeException>(() => RecipeDocument.Parse(bytes, "brand.recipe.json"));

    [Fact]
    public void A_key_written_twice_is_named_with_its_line_and_path()
    {
        var error = Refuse("""
            {
              "name": "x",
              "steps": [
                { "step": "workspace", "key": "alpha",
                  "name": "Alpha", "key": "beta" }
              ],
              "name": "y"
            }
            """);
        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Equal(2, messages.Count);
        Assert.Equal("brand.recipe.json, step 1, field \"key\": Line 5: The key \"key\" appears twice in the same object. " +
                     "JSON would keep only one of the two values: remove the other.", messages[0]);
        Assert.StartsWith("brand.recipe.json, field \"name\": Line 7: The key \"name\" appears twice", messages[1]);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_refused_with_their_line_rather_than_replaced()
    {
        var bytes = Encoding.UTF8.GetBytes("{\n  \"name\": \"x\",\n  \"description\": \"Caf\u00e9 cr\u00e8me\",\n  \"steps\": []\n}");
        var at = Array.IndexOf(bytes, (byte)0xC3);
        bytes[at + 1] = 0x28; // "é" cut in half, as Latin-1 files read as UTF-8 are
        var error = Assert.Single(Refuse(bytes).Errors);
        Assert.Equal("brand.recipe.json: The file is not valid UTF-8: line 3 has the bytes 0xC3, which are not UTF-8 text. " +
                     "Save the file with the UTF-8 encoding (in most editors: Save with encoding, UTF-8).", error.ToString());

        // A file saved with a byte order mark is still UTF-8.
        Assert.Equal("x", RecipeDocument.Parse([0xEF, 0xBB, 0xBF, .. "{ \"name\": \"x\", \"steps\": [] }"u8], "bom.recipe.json").Name);
    }

    [Fact]
    public void A_recipe_s_title_is_read_in_the_member_s_language_and_is_its_name_when_absent()
    {
        var titled = RecipeDocument.Parse("""{ "name": "blank", "title": { "en": "Empty brand workspace", "fr": "Espace de marque vide" }, "steps": [] }"""u8.ToArray(), "blank.recipe.json");
        Assert.Equal("Espace de marque vide", titled.TitleIn(new System.Globalization.CultureInfo("fr-FR")));
        Assert.Equal("Empty brand workspace", titled.TitleIn(new System.Globalization.CultureInfo("de-DE")));
        Assert.Equal("x", RecipeDocument.Parse("""{ "name": "x", "steps": [] }"""u8.ToArray(), "x.recipe.json").TitleIn(new System.Globalization.CultureInfo("fr-FR")));
        var error = Assert.Single(Refuse("""{ "name": "x", "title": { "fr": "" }, "steps": [] }""").Errors);
        Assert.Equal("title", error.Field);
    }

    [Fact]
    public void Half_a_character_written_as_an_escape_is_refused()
    {
        var error = Assert.Single(Refuse("""{ "name": "x\uD800", "steps": [] }""").Errors);
        Assert.Equal("name", error.Field);
        Assert.Contains("Line 1: The text has a \\u escape that is half of a character", error.Message);
    }

    [Fact]
    public void NUL_controls_and_direction_overrides_are_refused_in_strings_and_keys_with_their_path()
    {
        var error = Refuse("""
            { "name": "x\u0000", "description": "two\nlines\tand a tab are fine",
              "steps": [ { "step": "workspace", "key": "a", "name": "A\u0007" },
                         { "step": "workspace", "key": "b", "name": "B", "hosts": ["b.test\u2067"] },
                         { "step": "workspace", "ke\u202Ey": "c" } ] }
            """);
        var errors = error.Errors.Select(e => (e.StepIndex, e.Field, e.Message)).ToList();
        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e == (null, "name", "Line 1: The text contains U+0000 (NUL) at position 2. " +
            "Remove it: a recipe may not hold control characters (other than tab and line breaks) or direction overrides."));
        Assert.Contains(errors, e => e is (1, "name", _) && e.Message.StartsWith("Line 2: The text contains U+0007 (control character) at position 2."));
        Assert.Contains(errors, e => e is (2, "hosts[0]", _) && e.Message.StartsWith("Line 3: The text contains U+2067 (right-to-left isolate) at position 7."));
        // The key is echoed with the character written out, so the message cannot be reordered by it.
        Assert.Contains(errors, e => e is (3, "ke\\u202Ey", _) && e.Message.StartsWith("Line 4: The key \"ke\\u202Ey\" contains U+202E (right-to-left override)."));
    }

    [Fact]
    public void A_document_nested_too_deeply_says_so_and_gives_the_limit()
    {
        var deep = "{ \"name\": \"x\", \"steps\": [ { \"step\": \"probeNotes\", \"notes\": " + new string('[', 40) + new string(']', 40) + " } ] }";
        var error = Assert.Single(Refuse(deep).Errors);
        Assert.Equal(1, error.StepIndex);
        Assert.Contains("The recipe is nested too deeply: more than 32 levels of objects and arrays (the recipe object is level 1).", error.Message);

        // 32 levels are fine (at the file level; the step itself would then be refused for its content).
        var deepest = "{ \"name\": \"x\", \"steps\": [ { \"step\": \"probeNotes\", \"notes\": " + new string('[', 29) + new string(']', 29) + " } ] }";
        Assert.Equal(1, RecipeDocument.Parse(deepest, "deep.recipe.json").StepCount);
    }

    [Fact]
    public void A_file_over_16_MiB_is_refused_before_it_is_read()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("cmportal-recipe-").FullName, "huge.recipe.json");
        try
        {
            using (var file = File.Create(path)) file.SetLength(RecipeDocument.MaxBytes + 1L); // sparse: nothing to read
            var error = Assert.Single(Assert.Throws<RecipeException>(() => RecipeDocument.Load(path)).Errors);
            Assert.Equal("huge.recipe.json: The file has 16,777,217 bytes; a recipe may have 16,777,216 bytes (16 MiB) at most. " +
                         "Split it into several recipes applied one after the other.", error.ToString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Twenty_thousand_steps_are_read_quickly_and_one_more_is_refused()
    {
        static string Recipe(int steps) => "{ \"name\": \"x\", \"steps\": [" +
            string.Join(",\n", Enumerable.Range(0, steps).Select(i => $$"""{ "step": "keyDates", "keyDates": [ { "id": "d{{i}}", "title": "D", "start": "2027-01-01" } ] }""")) + "] }";

        var clock = Stopwatch.StartNew();
        Assert.Equal(RecipeDocument.MaxSteps, RecipeDocument.Parse(Recipe(RecipeDocument.MaxSteps), "big.recipe.json").StepCount);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"reading 20,000 steps took {clock.Elapsed.TotalSeconds:0.0} s");

        var error = Assert.Single(Refuse(Recipe(RecipeDocument.MaxSteps + 1)).Errors);
        Assert.Equal("brand.recipe.json: Line 20001: The recipe has more than 20,000 steps, the most a recipe may have. " +
                     "Split it into several recipes applied one after the other.", error.ToString());
    }

    [Fact]
    public void A_parameter_declared_twice_or_with_a_name_no_placeholder_can_use_is_refused()
    {
        var error = Refuse("""
            { "name": "x", "parameters": [ { "name": "key" }, { "name": "brand-name" }, { "name": "key", "type": "integer" } ], "steps": [] }
            """);
        var errors = error.Errors.Select(e => (e.Field, e.Message)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(("parameters[1].name", "\"brand-name\" is not a parameter name. Use letters, digits and _, not starting with a digit, e.g. \"brand_name\"."), errors);
        Assert.Contains(("parameters[2].name", "The parameter \"key\" is declared twice (also parameters[0]). Declare each parameter once."), errors);
    }

    [Fact]
    public void Descriptions_may_be_given_per_language_and_show_in_the_reader_s_language()
    {
        var recipe = RecipeDocument.Parse("""
            { "name": "x", "description": { "en": "An empty brand.", "fr": "Une marque vide." },
              "parameters": [ { "name": "key", "required": true, "description": { "fr": "Clé de l’espace.", "en": "Key of the workspace." } },
                              { "name": "name", "description": "Only one text." } ],
              "steps": [] }
            """, "brand.recipe.json");
        var french = System.Globalization.CultureInfo.GetCultureInfo("fr-FR");
        var english = System.Globalization.CultureInfo.GetCultureInfo("en-US");
        var german = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        Assert.Equal(("Une marque vide.", "An empty brand.", "An empty brand."), (recipe.DescriptionIn(french), recipe.DescriptionIn(english), recipe.DescriptionIn(german)));
        Assert.Equal(("Clé de l’espace.", "Key of the workspace."), (recipe.Parameters[0].DescriptionIn(french), recipe.Parameters[0].DescriptionIn(german)));
        Assert.Equal("Only one text.", recipe.Parameters[1].DescriptionIn(french));

        var error = Refuse("""
            { "name": "x", "description": { "french": "Une marque vide." },
              "parameters": [ { "name": "key", "description": { "fr": "" } } ], "steps": [] }
            """);
        Assert.Equal([
            "brand.recipe.json, field \"description\": \"description\" must be a non-empty text. Write one text, or one per language: { \"en\": \"…\", \"fr\": \"…\" } (two-letter language codes, non-empty texts).",
            "brand.recipe.json, field \"parameters[0].description\": The description of parameter \"key\" must be a non-empty text. Write one text, or one per language: { \"en\": \"…\", \"fr\": \"…\" } (two-letter language codes, non-empty texts).",
        ], error.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void An_empty_value_for_a_required_parameter_counts_as_none()
    {
        var recipe = RecipeDocument.Parse("""
            { "name": "x", "parameters": [ { "name": "key", "required": true, "default": "maison-lumen" } ],
              "steps": [ { "step": "workspace", "key": "{{key}}", "name": "X" } ] }
            """, "brand.recipe.json");
        var error = Assert.Throws<RecipeException>(() => recipe.Bind(new Dictionary<string, string> { ["key"] = " " }));
        Assert.Equal("brand.recipe.json, field \"parameters.key\": Parameter \"key\" is required. Give it with --param key=VALUE (or in the form).", error.Errors.Single().ToString());
        Assert.Equal("maison-lumen", recipe.Bind(new Dictionary<string, string>())[0]["key"]!.GetValue<string>());
    }
}

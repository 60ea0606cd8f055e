namespace CmPortal.Web;

public enum CommandVerb { Run, Help, Setup, RecipeApply, RecipeExport, TokenCreate }

public sealed class CommandLineException(string message) : Exception(message);

/// <summary>
/// The host's command line. Options the portal does not know (<c>--urls</c>, configuration keys)
/// pass through to ASP.NET Core; <c>--data-dir</c> becomes the <c>DataDir</c> setting.
/// </summary>
public sealed class CommandLine
{
    public const string Usage = """
        usage: CmPortal.Web [command] [--data-dir DIR] [--urls URLS] [--demo]
          (no command)            run the portal; --demo provisions the demo brand on first start
          setup --admin-email E --admin-password P [--admin-name N] --recipe FILE [--param name=value]...
                                  first-run setup without the browser
          recipe apply FILE [--param name=value]... [--update-existing]
                                  apply a recipe; one that changes an existing workspace lists its
                                  changes and writes nothing unless --update-existing is given
          recipe export --workspace KEY --out FILE
                                  export a workspace as a recipe
          token create --email EMAIL --workspace KEY --name NAME
                                  make a personal access token for the API (docs/api.md), acting
                                  as that member in that workspace; prints it alone on the last line
        """;

    private static readonly HashSet<string> OwnOptions = ["--admin-email", "--admin-password", "--admin-name", "--recipe", "--workspace", "--out", "--email", "--name"];

    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);

    public CommandVerb Verb { get; private init; }
    public string? File { get; private init; }
    public bool Demo { get; private init; }
    /// <summary><c>--update-existing</c>: the user has seen what a recipe changes in an existing workspace and wants it applied.</summary>
    public bool UpdateExisting { get; private init; }
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);
    public string[] HostArgs { get; private init; } = [];

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public string Require(string name) =>
        _options.TryGetValue(name, out var value) ? value : throw new Setup.SetupException($"{name} is missing. {Usage}");

    public static CommandLine Parse(string[] args)
    {
        var rest = new Queue<string>(args);
        var verb = CommandVerb.Run;
        string? file = null;
        if (rest.TryPeek(out var first) && !first.StartsWith('-'))
        {
            rest.Dequeue();
            switch (first)
            {
                case "help": verb = CommandVerb.Help; break;
                case "setup": verb = CommandVerb.Setup; break;
                case "recipe":
                    var sub = rest.TryDequeue(out var s) ? s : throw new CommandLineException("\"recipe\" needs a subcommand: apply or export.");
                    verb = sub switch
                    {
                        "apply" => CommandVerb.RecipeApply,
                        "export" => CommandVerb.RecipeExport,
                        _ => throw new CommandLineException($"\"recipe {sub}\" is not a command. Use \"recipe apply FILE\" or \"recipe export\"."),
                    };
                    if (verb == CommandVerb.RecipeApply)
                    {
                        if (!rest.TryDequeue(out file) || file.StartsWith('-')) throw new CommandLineException("\"recipe apply\" needs the recipe file: recipe apply FILE.");
                        if (!System.IO.File.Exists(file)) throw new CommandLineException($"The recipe file \"{file}\" does not exist.");
                    }
                    break;
                case "token":
                    var tokenSub = rest.TryDequeue(out var t) ? t : throw new CommandLineException("\"token\" needs a subcommand: create.");
                    verb = tokenSub == "create" ? CommandVerb.TokenCreate
                        : throw new CommandLineException($"\"token {tokenSub}\" is not a command. Use \"token create --email EMAIL --workspace KEY --name NAME\".");
                    break;
                default: throw new CommandLineException($"\"{first}\" is not a command.");
            }
        }

        var result = new CommandLine { Verb = verb, File = file };
        var hostArgs = new List<string>();
        var demo = false;
        var updateExisting = false;
        while (rest.TryDequeue(out var arg))
        {
            if (arg is "--help" or "-h") return new CommandLine { Verb = CommandVerb.Help };
            if (arg == "--demo") { demo = true; continue; }
            if (arg == "--update-existing" && verb == CommandVerb.RecipeApply) { updateExisting = true; continue; }
            if (arg == "--param")
            {
                var pair = rest.TryDequeue(out var p) ? p : throw new CommandLineException("--param needs name=value.");
                var equals = pair.IndexOf('=');
                if (equals <= 0) throw new CommandLineException($"--param \"{pair}\" is not name=value.");
                result.Parameters[pair[..equals]] = pair[(equals + 1)..];
                continue;
            }
            if (OwnOptions.Contains(arg))
            {
                result._options[arg] = rest.TryDequeue(out var v) && !v.StartsWith("--") ? v : throw new CommandLineException($"{arg} needs a value.");
                continue;
            }
            if (arg == "--data-dir")
            {
                hostArgs.Add("--DataDir");
                hostArgs.Add(rest.TryDequeue(out var dir) ? dir : throw new CommandLineException("--data-dir needs a folder."));
                continue;
            }
            hostArgs.Add(arg);
        }
        if (verb == CommandVerb.Setup && !result._options.ContainsKey("--recipe"))
            throw new CommandLineException("setup needs --recipe FILE (for example recipes/blank.recipe.json).");
        if (verb == CommandVerb.Setup && !System.IO.File.Exists(result._options["--recipe"]))
            throw new CommandLineException($"The recipe file \"{result._options["--recipe"]}\" does not exist.");
        if (verb == CommandVerb.RecipeExport && (!result._options.ContainsKey("--workspace") || !result._options.ContainsKey("--out")))
            throw new CommandLineException("recipe export needs --workspace KEY and --out FILE.");
        if (verb == CommandVerb.TokenCreate && new[] { "--email", "--workspace", "--name" }.FirstOrDefault(o => !result._options.ContainsKey(o)) is { } missing)
            throw new CommandLineException($"token create needs {missing}: token create --email EMAIL --workspace KEY --name NAME.");
        return new CommandLine { Verb = verb, File = file, Demo = demo, UpdateExisting = updateExisting, HostArgs = hostArgs.ToArray() }.With(result);
    }

    private CommandLine With(CommandLine parsed)
    {
        foreach (var (k, v) in parsed._options) _options[k] = v;
        foreach (var (k, v) in parsed.Parameters) Parameters[k] = v;
        return this;
    }
}

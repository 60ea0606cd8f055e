using CmPortal.Web;

namespace CmPortal.Tests.Unit;

public sealed class CommandLineParsingTests
{
    [Fact]
    public void No_command_runs_the_portal_and_passes_host_options_through()
    {
        var command = CommandLine.Parse(["--data-dir", "/srv/cm", "--urls", "http://127.0.0.1:9000", "--demo"]);
        Assert.Equal(CommandVerb.Run, command.Verb);
        Assert.True(command.Demo);
        Assert.Equal(["--DataDir", "/srv/cm", "--urls", "http://127.0.0.1:9000"], command.HostArgs);
    }

    [Fact]
    public void Recipe_apply_takes_the_file_and_parameters_whose_value_may_contain_equals()
    {
        var file = Path.GetTempFileName();
        try
        {
            var command = CommandLine.Parse(["recipe", "apply", file, "--param", "key=acme", "--param", "tagline=a=b"]);
            Assert.Equal(CommandVerb.RecipeApply, command.Verb);
            Assert.Equal(file, command.File);
            Assert.Equal("acme", command.Parameters["key"]);
            Assert.Equal("a=b", command.Parameters["tagline"]);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData(new[] { "recipe" }, "needs a subcommand")]
    [InlineData(new[] { "recipe", "import" }, "\"recipe import\" is not a command")]
    [InlineData(new[] { "recipe", "export", "--workspace", "x" }, "needs --workspace KEY and --out FILE")]
    [InlineData(new[] { "setup", "--admin-email", "a@b.c" }, "setup needs --recipe FILE")]
    [InlineData(new[] { "recipe", "apply", "/nowhere/x.json" }, "does not exist")]
    [InlineData(new[] { "--param", "novalue" }, "is not name=value")]
    public void Bad_usage_is_refused_with_what_to_do(string[] args, string expected) =>
        Assert.Contains(expected, Assert.Throws<CommandLineException>(() => CommandLine.Parse(args)).Message);
}

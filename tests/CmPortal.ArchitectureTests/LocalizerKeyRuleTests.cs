using CmPortal.ArchitectureTests.Infrastructure;
using CmPortal.ArchitectureTests.Rules;

namespace CmPortal.ArchitectureTests;

public sealed class LocalizerKeyRuleTests
{
    private const string Rule = "a localizer key is a string literal";

    [Fact]
    public void No_product_code_or_view_passes_a_non_literal_localizer_key()
    {
        var root = Repository.Root;
        RuleAssert.NoViolations(Rule, LocalizerKeyRule.Check(root, "src", "modules", "themes"));
    }

    [Fact]
    public void The_bad_module_is_caught_with_a_role_name_and_an_interpolated_key()
    {
        var violations = LocalizerKeyRule.Check(Repository.Root, Path.Combine("tests", "Fixtures", "CmPortal.Fixtures.BadModule"));
        RuleAssert.ExactlyViolations(Rule, violations,
            "LocalizedMessages.cs:8: T[r",
            "LocalizedMessages.cs:10: T[$",
            "Roles.cshtml:4: T[r");
    }

    [Fact]
    public void No_view_reads_the_unformatted_template_of_a_localized_text_with_arguments() =>
        RuleAssert.NoViolations(FormattedRule, FormattedValueRule.Check(Repository.Root, "src", "modules", "themes"));

    [Fact]
    public void The_bad_module_is_caught_reading_the_value_of_a_text_with_an_argument() =>
        RuleAssert.ExactlyViolations(FormattedRule,
            FormattedValueRule.Check(Repository.Root, Path.Combine("tests", "Fixtures", "CmPortal.Fixtures.BadModule")),
            "Parts.cshtml:4: T[\"Part {0}\", Model].Value");

    private const string FormattedRule = "a view does not read the template of a text with arguments";
}

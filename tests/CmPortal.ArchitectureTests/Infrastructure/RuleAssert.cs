namespace CmPortal.ArchitectureTests.Infrastructure;

/// <summary>Rule assertions whose failure message lists every violation, not just a count.</summary>
public static class RuleAssert
{
    public static void NoViolations(string rule, IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, $"Rule \"{rule}\" is broken:{List(violations)}");

    /// <summary>The rule reports exactly one violation per expected fragment, each naming its fragment.</summary>
    public static void ExactlyViolations(string rule, IReadOnlyList<string> violations, params string[] expectedFragments)
    {
        var missing = expectedFragments.Where(f => !violations.Any(v => v.Contains(f, StringComparison.Ordinal))).ToList();
        Assert.True(violations.Count == expectedFragments.Length && missing.Count == 0,
            $"Rule \"{rule}\" should report exactly [{string.Join(", ", expectedFragments)}]" +
            (missing.Count > 0 ? $"; it missed [{string.Join(", ", missing)}]" : "") +
            $". It reported {violations.Count}:{List(violations)}");
    }

    private static string List(IReadOnlyList<string> violations) =>
        violations.Count == 0 ? " (none)" : string.Concat(violations.Select(v => Environment.NewLine + "  - " + v));
}

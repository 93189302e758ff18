using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CartGraph.PropertyTests;

[Properties(Arbitrary = new[] { typeof(CartGenerators) }, MaxTest = 1000)]
public static class ValidationProperties
{
    [Property]
    public static Property Validation_reports_every_invalid_field_at_once(RawCommandWithInvalidFields input)
    {
        var reported = RawCommand.Validate(input.Command).Match(
            Succ: _ => [],
            Fail: problems => problems.Map(problem => problem.Field).ToArray());
        return reported.Order(StringComparer.Ordinal)
            .SequenceEqual(input.InvalidFields.Order(StringComparer.Ordinal))
            .Label($"Expected problems with [{string.Join(", ", input.InvalidFields)}], got [{string.Join(", ", reported)}]")
            .Collect($"{input.InvalidFields.Count} invalid field(s)");
    }
}

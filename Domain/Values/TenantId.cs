using LanguageExt;
using static LanguageExt.Prelude;

namespace CartGraph.Domain.Values;

/// <summary>1–63 characters of a-z, 0-9, '-', '_', starting with a letter or digit; also a partition key.</summary>
public sealed record TenantId
{
    public const int MaxLength = 63;

    private TenantId(string value) => Value = value;

    public string Value { get; }

    public static Validation<InvalidInput, TenantId> Create(string? raw, string field = "tenantId")
    {
        if (string.IsNullOrEmpty(raw))
            return Fail<InvalidInput, TenantId>(new InvalidInput(field, "must not be empty"));
        if (raw.Length > MaxLength)
            return Fail<InvalidInput, TenantId>(new InvalidInput(field, $"must be at most {MaxLength} characters"));
        if (!IsAlphanumeric(raw[0]) || !raw.All(c => IsAlphanumeric(c) || c is '-' or '_'))
            return Fail<InvalidInput, TenantId>(new InvalidInput(field,
                "must use only a-z, 0-9, '-' and '_', starting with a letter or digit"));
        return Success<InvalidInput, TenantId>(new TenantId(raw));
    }

    /// <summary>For values already known to be valid, such as a partition read back from the store.</summary>
    public static TenantId Parse(string raw) =>
        Create(raw).Match(id => id, errors => throw new FormatException(errors.Head.Message));

    public override string ToString() => Value;

    private static bool IsAlphanumeric(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}

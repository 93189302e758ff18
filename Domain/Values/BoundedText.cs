using LanguageExt;

namespace CartGraph.Domain.Values;

/// <summary>A cart's id: non-empty, at most 64 characters, no control characters.</summary>
public sealed record CartId
{
    public const int MaxLength = 64;
    private CartId(string value) => Value = value;
    public string Value { get; }

    public static Validation<InvalidInput, CartId> Create(string? raw, string field = "cartId") =>
        Text.Bounded(raw, field, MaxLength).Map(v => new CartId(v));

    public override string ToString() => Value;
}

/// <summary>A stock keeping unit: non-empty, at most 64 characters, no control characters.</summary>
public sealed record Sku
{
    public const int MaxLength = 64;
    private Sku(string value) => Value = value;
    public string Value { get; }

    public static Validation<InvalidInput, Sku> Create(string? raw, string field = "sku") =>
        Text.Bounded(raw, field, MaxLength).Map(v => new Sku(v));

    public override string ToString() => Value;
}

/// <summary>An item's display name: non-empty, at most 200 characters, no control characters.</summary>
public sealed record ItemName
{
    public const int MaxLength = 200;
    private ItemName(string value) => Value = value;
    public string Value { get; }

    public static Validation<InvalidInput, ItemName> Create(string? raw, string field = "name") =>
        Text.Bounded(raw, field, MaxLength).Map(v => new ItemName(v));

    public override string ToString() => Value;
}

/// <summary>The order a checkout becomes: non-empty, at most 64 characters, no control characters.</summary>
public sealed record OrderId
{
    public const int MaxLength = 64;
    private OrderId(string value) => Value = value;
    public string Value { get; }

    public static Validation<InvalidInput, OrderId> Create(string? raw, string field = "orderId") =>
        Text.Bounded(raw, field, MaxLength).Map(v => new OrderId(v));

    public override string ToString() => Value;
}

/// <summary>Why a cart was cancelled: non-empty, at most 500 characters, no control characters.</summary>
public sealed record CancellationReason
{
    public const int MaxLength = 500;
    private CancellationReason(string value) => Value = value;
    public string Value { get; }

    public static Validation<InvalidInput, CancellationReason> Create(string? raw, string field = "reason") =>
        Text.Bounded(raw, field, MaxLength).Map(v => new CancellationReason(v));

    public override string ToString() => Value;
}

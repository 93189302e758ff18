namespace CartGraph.Infrastructure.EventStore;

/// <summary>How SQL reads a tenant partition's value from its bound, <c>FOR VALUES IN ('…')</c>.</summary>
internal static class PartitionBounds
{
    /// <summary>The value (the tenant) of the partition <c>c</c> (a <c>pg_class</c> row); null for a bound of another form.</summary>
    public const string ValueOfC = """replace(substring(pg_get_expr(c.relpartbound, 0) FROM $re$^FOR VALUES IN \('(.*)'\)$$re$), '''''', '''')""";
}

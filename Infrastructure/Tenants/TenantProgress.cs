namespace CartGraph.Infrastructure.Tenants;

/// <summary>How far a step of a tenant's export or import has come, e.g. ("importing", 1200, 5000).</summary>
public sealed record TenantProgress(string Step, long Done, long Total);

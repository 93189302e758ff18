using CartGraph.Domain.Values;

namespace CartGraph.Infrastructure.Tenants;

/// <summary>Why a tenant export, import or drop refused to run; it changed nothing.</summary>
public abstract record TenantError
{
    private TenantError() { }

    public abstract string Message { get; }

    public sealed record UnknownTenant(TenantId Tenant) : TenantError
    {
        public override string Message => $"there is no tenant '{Tenant}'.";
    }

    public sealed record TenantNotEmpty(TenantId Tenant, long Streams) : TenantError
    {
        public override string Message =>
            $"tenant '{Tenant}' is not empty ({Streams} stream(s)); an import only goes into a tenant without streams (drop it first).";
    }

    /// <summary>Another import or drop of the tenant holds it, or its onboarding is under way.</summary>
    public sealed record TenantBusy(TenantId Tenant) : TenantError
    {
        public override string Message => $"tenant '{Tenant}' is being imported, dropped or provisioned right now; try again when that is done.";
    }

    /// <summary>An import's tenant took writes while the import ran; the import was undone.</summary>
    public sealed record WrittenMeanwhile(TenantId Tenant) : TenantError
    {
        public override string Message => $"tenant '{Tenant}' was written to while the import ran; nothing was imported.";
    }

    public sealed record FileExists(string Path) : TenantError
    {
        public override string Message => $"{Path} exists already; choose another file or remove it.";
    }

    public sealed record FileNotFound(string Path) : TenantError
    {
        public override string Message => $"{Path} does not exist.";
    }

    /// <summary>The file is not a tenant export: another format, or not NDJSON at all.</summary>
    public sealed record NotAnExport(string Path, string Reason) : TenantError
    {
        public override string Message => $"{Path} is not a CartGraph tenant export: {Reason}";
    }

    public sealed record UnsupportedVersion(string Path, int Version) : TenantError
    {
        public override string Message =>
            $"{Path} is a tenant export of version {Version}; this build reads version {TenantRecord.CurrentVersion}.";
    }

    /// <summary>A line that does not fit: bad JSON, a missing field, a position out of place, a count that disagrees.</summary>
    public sealed record Malformed(string Path, long Line, string Reason) : TenantError
    {
        public override string Message => Line > 0 ? $"{Path}, line {Line}: {Reason}" : $"{Path}: {Reason}";
    }
}

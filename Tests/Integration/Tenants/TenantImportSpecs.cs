using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.Tenants;
using CartGraph.Tests.Integration.Projections;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.Tenants;

/// <summary>An import goes whole into a tenant without streams, or refuses with a clear error and changes nothing.</summary>
public sealed class TenantImportSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>, IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.ndjson");

    private TenantImport Import => new(db.Postgres, [Carts.Projection], new ProjectionOptions());

    public void Dispose() => File.Delete(file);

    /// <summary>A tenant's export, as lines, for a tenant that no longer exists.</summary>
    private async Task<(TenantId Tenant, string[] Lines)> ExportedAndDroppedAsync()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant, carts: 4);
        (await new TenantExport(db.Postgres).ToFileAsync(tenant, file)).IfLeft(e => throw new InvalidOperationException(e.Message));
        (await new TenantDrop(db.Postgres, [Carts.Projection]).DropAsync(tenant)).IfLeft(e => throw new InvalidOperationException(e.Message));
        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);
        return (tenant, lines);
    }

    private async Task<TenantError> RefusedAsync(TenantId tenant, IEnumerable<string> lines)
    {
        await File.WriteAllLinesAsync(file, lines);
        var refused = (await Import.FromFileAsync(file)).Match(_ => null!, e => e);
        Assert.NotNull(refused);
        Assert.False(await db.Tenants.ExistsAsync(tenant));
        Assert.Empty(await TenantRows.TablesAsync(db, tenant)); // not even a staged table left
        return refused;
    }

    [Fact]
    public async Task A_file_of_another_format_or_no_JSON_at_all_is_refused_as_not_an_export()
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();

        Assert.Contains("names the format 'emmett-events'",
            (await RefusedAsync(tenant, [.. lines.Select((l, i) => i == 0 ? l.Replace("cartgraph-tenant", "emmett-events", StringComparison.Ordinal) : l)])).Message,
            StringComparison.Ordinal);
        Assert.IsType<TenantError.NotAnExport>(await RefusedAsync(tenant, ["tenant,stream,position", "acme,cart-1,1"]));
        Assert.IsType<TenantError.NotAnExport>(await RefusedAsync(tenant, ["""{"some": "json"}"""]));
        Assert.IsType<TenantError.NotAnExport>(await RefusedAsync(tenant, []));
    }

    [Fact]
    public async Task A_file_of_a_newer_version_is_refused_with_the_version_it_has()
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();

        var refused = await RefusedAsync(tenant, [lines[0].Replace("\"version\":1", "\"version\":2", StringComparison.Ordinal), .. lines[1..]]);

        Assert.Equal(2, Assert.IsType<TenantError.UnsupportedVersion>(refused).Version);
    }

    [Theory]
    [InlineData("truncated", "is it truncated?")]
    [InlineData("bad json", "line 9:")]
    [InlineData("hole", "where 2 was due")]
    [InlineData("undeclared stream", "which no stream line declares")]
    [InlineData("missing field", "line 3:")]
    [InlineData("unknown record", "line 9:")]
    [InlineData("bad tenant", "tenant must use only")]
    public async Task A_malformed_file_is_refused_with_the_line_and_what_is_wrong_and_nothing_is_imported(string damage, string expected)
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();
        var firstOfCart1 = Array.FindIndex(lines, l => l.Contains("\"record\":\"message\"", StringComparison.Ordinal) && l.Contains("\"streamId\":\"cart-1\"", StringComparison.Ordinal));
        string[] damaged = damage switch
        {
            "truncated" => lines[..^2],
            "bad json" => [.. lines[..8], "{\"record\":\"message\",", .. lines[9..]],
            "hole" => [.. lines.Where((_, i) => i != firstOfCart1 + 1)],
            "undeclared stream" => [.. lines.Where(l => !l.Contains("\"record\":\"stream\",\"id\":\"cart-1\"", StringComparison.Ordinal))],
            "missing field" => [lines[0], lines[1], lines[2].Replace("\"type\":\"cart\",", "", StringComparison.Ordinal), .. lines[3..]],
            "unknown record" => [.. lines[..8], "{\"record\":\"snapshot\",\"streamId\":\"cart-1\"}", .. lines[9..]],
            _ => [lines[0].Replace($"\"tenant\":\"{tenant}\"", "\"tenant\":\"Not A Tenant\"", StringComparison.Ordinal), .. lines[1..]],
        };

        var refused = await RefusedAsync(tenant, damaged);

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Importing_into_a_tenant_with_streams_is_refused_and_changes_nothing()
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();
        await db.Store.AppendAsync(tenant, "mine", "thing", Events(2), ExpectedVersion.NoStream);
        var before = await TenantRows.EverythingAsync(db, tenant);
        await File.WriteAllLinesAsync(file, lines);

        var refused = (await Import.FromFileAsync(file)).Match(_ => null!, e => e);

        Assert.IsType<TenantError.TenantNotEmpty>(refused);
        Assert.Contains("is not empty (1 stream(s))", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await TenantRows.EverythingAsync(db, tenant));
    }

    [Fact]
    public async Task A_tenant_provisioned_without_streams_takes_an_import_under_its_own_leaf_names()
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();
        await db.Tenants.ProvisionAsync(tenant); // as emt_add_partition from another service would
        await File.WriteAllLinesAsync(file, lines);

        var imported = await Import.FromFileAsync(file);

        Assert.True(imported.IsRight, imported.Match(_ => "", e => e.Message));
        Assert.Equal(["cart-0", "cart-1", "cart-2"], (await Carts.ReadModelAsync(db, tenant)).Keys.Order()); // cart-3 is archived
        Assert.Contains($"emt_messages_{tenant}_active", await TenantRows.TablesAsync(db, tenant));
    }

    [Fact]
    public async Task Importing_the_same_file_twice_refuses_the_second_time()
    {
        var (tenant, lines) = await ExportedAndDroppedAsync();
        await File.WriteAllLinesAsync(file, lines);
        Assert.True((await Import.FromFileAsync(file)).IsRight);
        var after = await TenantRows.EverythingAsync(db, tenant);

        Assert.IsType<TenantError.TenantNotEmpty>((await Import.FromFileAsync(file)).Match(_ => null!, e => e));
        Assert.Equal(after, await TenantRows.EverythingAsync(db, tenant));
    }

    [Fact]
    public async Task A_file_that_does_not_exist_is_refused()
    {
        var refused = (await Import.FromFileAsync(file)).Match(_ => null!, e => e);

        Assert.IsType<TenantError.FileNotFound>(refused);
    }
}

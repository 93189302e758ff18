using CartGraph.Api.Verbs;
using CartGraph.Domain.Values;
using CartGraph.Tests.Integration;
using CartGraph.Tests.Integration.Tenants;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace CartGraph.Tests.Api.Verbs;

/// <summary>The <c>tenant</c> verb as a user runs it: its output, its exit code, and what a refusal leaves alone.</summary>
public sealed class TenantVerbSpecs(StoreDatabase db) : IClassFixture<StoreDatabase>, IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.ndjson");

    public void Dispose() => File.Delete(file);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:EventStore"] = db.ConnectionString })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await TenantVerb.RunAsync(["tenant", .. args], configuration, NullLoggerFactory.Instance, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task List_shows_each_tenants_streams_events_carts_and_last_event()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant, carts: 4);

        var (code, output, _) = await RunAsync("list");

        Assert.Equal(0, code);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith(tenant.Value, StringComparison.Ordinal));
        Assert.Equal([tenant.Value, "5", "1", "16", "3"], line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..5]);
        Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s*$", line);
        Assert.StartsWith("TENANT", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_drop_and_import_through_the_verb_say_what_they_did()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant, carts: 4);
        var before = await TenantRows.ContentAsync(db, tenant);

        var exported = await RunAsync("export", "--tenant", tenant.Value, "--output", file);
        var dropped = await RunAsync("drop", "--tenant", tenant.Value, "--confirm", tenant.Value);
        var imported = await RunAsync("import", "--input", file);

        Assert.Equal((0, $"Exported tenant {tenant}: 5 stream(s), 16 message(s) to {file}.\n"), (exported.Code, exported.Output));
        Assert.Contains("exporting", exported.Error, StringComparison.Ordinal); // the progress bar, on stderr
        Assert.Equal((0, $"Dropped tenant {tenant}: its partitions, cursors and read-model rows are gone.\n"), (dropped.Code, dropped.Output));
        Assert.Equal((0, $"Imported tenant {tenant}: 5 stream(s), 16 message(s); its read models are built.\n"), (imported.Code, imported.Output));
        Assert.Contains("importing", imported.Error, StringComparison.Ordinal);
        Assert.Contains("projecting carts-read-model", imported.Error, StringComparison.Ordinal);
        Assert.Equal(before, await TenantRows.ContentAsync(db, tenant));
    }

    [Fact]
    public async Task A_drop_whose_confirmation_is_not_the_tenant_refuses_and_drops_nothing()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant, carts: 4);
        var before = await TenantRows.EverythingAsync(db, tenant);

        var wrong = await RunAsync("drop", "--tenant", tenant.Value, "--confirm", "someone-else");
        var missing = await RunAsync("drop", "--tenant", tenant.Value);

        Assert.Equal(2, wrong.Code);
        Assert.Equal($"cartgraph tenant: --confirm must repeat the tenant id ({tenant}) to drop it; nothing was dropped.\n", wrong.Error);
        Assert.Equal(2, missing.Code);
        Assert.Equal(before, await TenantRows.EverythingAsync(db, tenant));
    }

    [Theory]
    [InlineData("cartgraph tenant: usage: tenant list", "frobnicate")]
    [InlineData("cartgraph tenant: usage: tenant list")]
    [InlineData("cartgraph tenant: --tenant ID is required.", "export", "--output", "x.ndjson")]
    [InlineData("cartgraph tenant: --output FILE is required.", "export", "--tenant", "acme")]
    [InlineData("cartgraph tenant: --tenant must use only a-z, 0-9, '-' and '_', starting with a letter or digit: 'Acme!'.", "drop", "--tenant", "Acme!", "--confirm", "Acme!")]
    [InlineData("cartgraph tenant: --input FILE is required.", "import")]
    public async Task Bad_arguments_are_refused_with_one_line_before_anything_is_touched(string expected, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Refusals_of_the_store_are_one_line_each_with_exit_code_2()
    {
        var unknown = StoreDatabase.NewTenant();
        await File.WriteAllTextAsync(file, """{"format": "emmett-events"}""" + "\n");

        var export = await RunAsync("export", "--tenant", unknown.Value, "--output", file + ".out");
        var drop = await RunAsync("drop", "--tenant", unknown.Value, "--confirm", unknown.Value);
        var import = await RunAsync("import", "--input", file);

        Assert.Equal((2, $"cartgraph tenant: there is no tenant '{unknown}'.\n"), (export.Code, export.Error));
        Assert.Equal((2, $"cartgraph tenant: there is no tenant '{unknown}'.\n"), (drop.Code, drop.Error));
        Assert.Equal(2, import.Code);
        Assert.EndsWith($"cartgraph tenant: {file} is not a CartGraph tenant export: it names the format 'emmett-events', not 'cartgraph-tenant'.\n", import.Error);
        Assert.False(File.Exists(file + ".out"));
    }
}

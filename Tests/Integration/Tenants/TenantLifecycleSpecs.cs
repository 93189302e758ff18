using CartGraph.Api.Hosting;
using CartGraph.Domain.Values;
using CartGraph.Infrastructure.Database;
using CartGraph.Infrastructure.EventStore;
using CartGraph.Infrastructure.Projections;
using CartGraph.Infrastructure.Tenants;
using CartGraph.Tests.Integration.Projections;
using Npgsql;
using Xunit.Abstractions;
using static CartGraph.Tests.Integration.EventStore.Messages;

namespace CartGraph.Tests.Integration.Tenants;

/// <summary>A tenant exported, dropped and imported again while the service runs, and what a drop leaves alone.</summary>
public sealed class TenantLifecycleSpecs(StoreDatabase db, ITestOutputHelper output) : IClassFixture<StoreDatabase>, IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"tenant-{Guid.NewGuid():N}.ndjson");

    private TenantExport Export => new(db.Postgres);
    private TenantImport Import => new(db.Postgres, [Carts.Projection], new ProjectionOptions());
    private TenantDrop Drop => new(db.Postgres, [Carts.Projection]);

    public void Dispose() => File.Delete(file);

    [Fact]
    public async Task Export_drop_import_gives_back_the_same_streams_messages_and_read_model_while_the_service_runs()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant);
        await using var host = await RunningHost.StartAsync(db);
        var before = await TenantRows.ContentAsync(db, tenant);

        var exported = await Export.ToFileAsync(tenant, file);
        Assert.Equal((7L, 22L), exported.Map(h => (h.Streams, h.Messages)).IfLeft((0, 0)));
        Assert.True((await Drop.DropAsync(tenant)).IsRight);
        Assert.Empty(await TenantRows.ContentAsync(db, tenant));
        Assert.Empty(await TenantRows.TablesAsync(db, tenant));
        Assert.DoesNotContain(tenant, await db.Tenants.ListAsync());

        var imported = await Import.FromFileAsync(file);

        Assert.True(imported.IsRight, imported.Match(_ => "", e => e.Message));
        Assert.Equal(before, await TenantRows.ContentAsync(db, tenant));
        Assert.Contains(tenant, await db.Tenants.ListAsync());
        // The imported tenant takes commands as before, and the running service projects them.
        await Carts.HandleAsync(db, tenant, "cart-4", Carts.Add(tenant, "cart-4", "C", 1, 1));
        await Eventually.Until(() => Carts.ReadModelAsync(db, tenant), rows => rows["cart-4"].Version == 4);
        Assert.Equal(4L, (await Carts.ReadModelAsync(db, tenant))["cart-4"].Version);
    }

    [Fact]
    public async Task An_export_holds_every_stream_and_message_archived_ones_marked_with_their_positions_types_and_metadata()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant);

        await Export.ToFileAsync(tenant, file);

        var lines = await File.ReadAllLinesAsync(file);
        Assert.Equal(1 + 7 + 22, lines.Length);
        Assert.StartsWith($$"""{"record":"header","format":"cartgraph-tenant","version":1,"tenant":"{{tenant}}",""", lines[0]);
        Assert.Contains("""{"record":"stream","id":"cart-3","type":"cart","position":3,"metadata":{},"archived":true}""", lines);
        var note = Assert.Single(lines, l => l.Contains("\"note-1\"", StringComparison.Ordinal) && l.Contains("\"message\"", StringComparison.Ordinal));
        Assert.Contains("\"type\":\"Noted\",\"schemaVersion\":\"2\",\"kind\":\"E\",\"data\":{\"text\":\"ünïcode ✓\"}", note);
        Assert.Contains("\"correlationId\":\"correlation-1\"", note);
        Assert.Equal(3, lines.Count(l => l.Contains("\"streamId\":\"cart-3\"", StringComparison.Ordinal) && l.Contains("\"archived\":true", StringComparison.Ordinal)));
        Assert.False(File.Exists(file + ".partial"));
    }

    [Fact]
    public async Task Dropping_a_tenant_leaves_every_other_tenants_rows_and_tables_untouched()
    {
        var (left, dropped, right) = (StoreDatabase.NewTenant(), StoreDatabase.NewTenant(), StoreDatabase.NewTenant());
        foreach (var tenant in new[] { left, dropped, right }) await TenantRows.FillAsync(db, tenant, carts: 4);
        var others = new[] { left, right };
        var rowsBefore = await Task.WhenAll(others.Select(t => TenantRows.EverythingAsync(db, t)));
        var tablesBefore = await Task.WhenAll(others.Select(t => TenantRows.TablesAsync(db, t)));

        Assert.True((await Drop.DropAsync(dropped)).IsRight);

        Assert.Equal(rowsBefore, await Task.WhenAll(others.Select(t => TenantRows.EverythingAsync(db, t))));
        Assert.Equal(tablesBefore, await Task.WhenAll(others.Select(t => TenantRows.TablesAsync(db, t))));
        Assert.Empty(await TenantRows.EverythingAsync(db, dropped));
        Assert.Empty(await TenantRows.TablesAsync(db, dropped));
    }

    [Fact]
    public async Task Dropping_a_tenant_erases_the_messages_its_processors_parked_and_keeps_every_other_tenants()
    {
        var (kept, dropped) = (StoreDatabase.NewTenant(), StoreDatabase.NewTenant());
        foreach (var tenant in new[] { kept, dropped })
        {
            await Carts.HandleAsync(db, tenant, "a", Carts.Create(tenant, "a"));
            await OpenTransaction.AppendAloneAsync(db, tenant, "a", "ItemAddedToCart", """{"item": {"sku": 1}}""");
            await Carts.Processor(db, tenant).CatchUpAsync();
        }
        Task<long> ParkedOf(TenantId tenant) =>
            db.ScalarAsync<long>("SELECT count(*) FROM cartgraph_parked_messages WHERE tenant_id = $1", tenant.Value);
        Assert.Equal((1L, 1L), (await ParkedOf(kept), await ParkedOf(dropped)));

        Assert.True((await new TenantDrop(db.Postgres, ReadModelRegistry.TenantRows).DropAsync(dropped)).IsRight);

        Assert.Equal((1L, 0L), (await ParkedOf(kept), await ParkedOf(dropped)));
    }

    [Fact]
    public async Task Dropping_a_tenant_erases_the_rejected_keyed_commands_it_remembers_and_keeps_every_other_tenants()
    {
        var (kept, dropped) = (StoreDatabase.NewTenant(), StoreDatabase.NewTenant());
        var sender = new CartGraph.Api.Carts.Sender.Operator(MessageContext.None);
        foreach (var tenant in new[] { kept, dropped })
        {
            await Carts.HandleAsync(db, tenant, "a", Carts.Create(tenant, "a"));
            await db.CartService.HandleAsync(sender, CartGraph.Domain.Carts.CartCommands.EmptyCart(tenant.Value, "absent"),
                LanguageExt.Option<long>.None, CancellationToken.None, "empty-absent", "e");
        }
        Task<long> RejectedOf(TenantId tenant) =>
            db.ScalarAsync<long>("SELECT count(*) FROM cartgraph_rejected_commands WHERE tenant_id = $1", tenant.Value);
        Assert.Equal((1L, 1L), (await RejectedOf(kept), await RejectedOf(dropped)));

        Assert.True((await new TenantDrop(db.Postgres, ReadModelRegistry.TenantRows).DropAsync(dropped)).IsRight);

        Assert.Equal((1L, 0L), (await RejectedOf(kept), await RejectedOf(dropped)));
    }

    [Fact]
    public async Task A_drop_while_other_tenants_write_holds_none_of_them_up_and_leaves_no_row_of_the_tenant_behind()
    {
        var name = $"drop-{Guid.NewGuid():N}"[..20];
        await using var dropping = PostgresDatabase.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = name }.ConnectionString);
        var (victim, others) = (StoreDatabase.NewTenant(), Enumerable.Range(0, 4).Select(_ => StoreDatabase.NewTenant()).ToArray());
        await TenantRows.FillAsync(db, victim, carts: 4);
        foreach (var tenant in others) await db.Store.AppendAsync(tenant, "warm-up", "thing", Events(1), ExpectedVersion.Any);
        // The victim has more to project than one batch, so its processor is busy when the drop comes.
        for (var i = 0; i < 40; i++) await Carts.HandleAsync(db, victim, $"late-{i}", Carts.Create(victim, $"late-{i}"));
        await using var host = await RunningHost.StartAsync(db, new ProjectionOptions
        {
            BatchSize = 5, PollInterval = TimeSpan.FromMilliseconds(50), OwnershipInterval = TimeSpan.FromMilliseconds(200),
        });
        await Eventually.Until(() => Carts.ReadModelAsync(db, victim), rows => rows.Count > 7);

        using var stop = new CancellationTokenSource();
        var failures = 0;
        var writers = others.Select(tenant => Task.Run(async () =>
        {
            for (var n = 2; !stop.IsCancellationRequested; n++)
                if ((await db.Store.AppendAsync(tenant, "writer", "thing", [Event(n)], ExpectedVersion.Any)).IsLeft)
                    Interlocked.Increment(ref failures);
        })).ToList();
        await using var waits = await LockWaits.StartAsync(db.Postgres.Dedicated, name);
        Assert.True((await new TenantDrop(dropping, [Carts.Projection]).DropAsync(victim)).IsRight);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await waits.StopAsync();
        foreach (var wait in waits.Seen) output.WriteLine(wait.ToString());

        Assert.Equal(0, failures);
        // A relation dropped before the sample named it shows as its oid: only the victim's tables are dropped here,
        // so such a wait, by a statement on the victim's tables, is the victim's own.
        Assert.DoesNotContain(waits.Seen, w => !w.Relation.Contains(victim.Value, StringComparison.Ordinal)
                                               && !(long.TryParse(w.Relation, out _) && w.Query.Contains(victim.Value, StringComparison.Ordinal)));
        await Task.Delay(500); // a processor batch in flight would have committed by now
        Assert.Empty(await TenantRows.EverythingAsync(db, victim));
        Assert.Empty(await TenantRows.TablesAsync(db, victim));
    }

    [Fact]
    public async Task A_drop_interrupted_after_detaching_is_finished_by_the_next_one()
    {
        var tenant = StoreDatabase.NewTenant();
        await TenantRows.FillAsync(db, tenant, carts: 4);
        await using (var session = await db.Postgres.Dedicated.OpenConnectionAsync())
            await TenantPartitions.DetachAsync(session, tenant, CancellationToken.None);
        Assert.NotEmpty(await TenantRows.TablesAsync(db, tenant));

        Assert.True((await Drop.DropAsync(tenant)).IsRight);

        Assert.Empty(await TenantRows.TablesAsync(db, tenant));
        Assert.Empty(await TenantRows.EverythingAsync(db, tenant));
    }

    [Fact]
    public async Task Dropping_or_exporting_a_tenant_that_does_not_exist_refuses_and_writes_nothing()
    {
        var tenant = StoreDatabase.NewTenant();

        Assert.IsType<TenantError.UnknownTenant>((await Drop.DropAsync(tenant)).Match(_ => null!, e => e));
        Assert.IsType<TenantError.UnknownTenant>((await Export.ToFileAsync(tenant, file)).Match(_ => null!, e => e));
        Assert.False(File.Exists(file));
        Assert.False(await db.Tenants.ExistsAsync(tenant));
    }

    [Fact]
    public async Task Exporting_onto_a_file_that_exists_refuses_and_leaves_the_file_as_it_was()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.Any);
        await File.WriteAllTextAsync(file, "precious");

        var refused = await Export.ToFileAsync(tenant, file);

        Assert.IsType<TenantError.FileExists>(refused.Match(_ => null!, e => e));
        Assert.Equal("precious", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_tenant_is_held_while_it_is_imported_or_dropped_so_a_second_one_refuses()
    {
        var tenant = StoreDatabase.NewTenant();
        await db.Store.AppendAsync(tenant, "s", "thing", Events(1), ExpectedVersion.Any);
        await using var holder = await db.Postgres.Dedicated.OpenConnectionAsync();
        Assert.True(await TenantPartitions.TryHoldAsync(holder, tenant, CancellationToken.None));

        var refused = await Drop.DropAsync(tenant);

        Assert.IsType<TenantError.TenantBusy>(refused.Match(_ => null!, e => e));
        Assert.True(await db.Tenants.ExistsAsync(tenant));
    }
}

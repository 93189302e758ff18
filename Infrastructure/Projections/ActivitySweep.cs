using CartGraph.Domain.Values;
using CartGraph.Infrastructure.EventStore;

namespace CartGraph.Infrastructure.Projections;

/// <summary>What a sweep found: every tenant there is, those gone since the last look (dropped), and those written to.</summary>
internal sealed record SweepFindings(
    IReadOnlyCollection<TenantId> Tenants, IReadOnlyCollection<TenantId> Gone, IReadOnlyCollection<TenantId> Written);

/// <summary>
/// The instance's one look for all tenants at once, every <see cref="ProjectionOptions.PollInterval"/>: it finds what no
/// notification announced (writers such as Emmett's Node client, a lost notification, a cursor reset by a rebuild whose
/// notification was missed) and the tenants that came or went. While nobody writes into a tenant's tables it is one
/// statement, however many tenants (<see cref="TenantActivity"/>); after such a write it reads every tenant's figures (a
/// look-up each in shared memory, no lock on any tenant's table), and the partitions again when tenants came or went.
/// </summary>
internal sealed class ActivitySweep(TenantActivity activity)
{
    private DatabaseChanges? databaseChanges;
    private bool lookAgain;
    private Dictionary<TenantId, TenantWrites>? last;

    /// <summary>Null when nothing was written since the last look.</summary>
    public async Task<SweepFindings?> RunAsync(CancellationToken cancellationToken)
    {
        var changes = await activity.ChangesAsync(cancellationToken);
        var changed = changes != databaseChanges;
        databaseChanges = changes;
        // NOTE: a session publishes the figures of its tables and of the database together; one more look after a change
        // costs little and leaves no room for one published just after the other.
        if (last is not null && !changed && !lookAgain) return null;
        lookAgain = changed;

        var now = (await activity.ReadAsync(cancellationToken)).ToDictionary(w => w.Tenant);
        var before = last;
        last = now;
        if (before is null) return new SweepFindings(now.Keys, [], []);
        return new SweepFindings(
            now.Keys,
            before.Keys.Where(t => !now.ContainsKey(t)).ToList(),
            now.Values.Where(w => before.GetValueOrDefault(w.Tenant) != w).Select(w => w.Tenant).ToList());
    }
}

using CartGraph.Infrastructure.Projections;

namespace CartGraph.Api.Hosting;

/// <summary>Configuration section <c>Projections</c>: how processors batch, poll and take over (<see cref="ProjectionOptions"/>).</summary>
public static class ProjectionSettings
{
    public const string Section = "Projections";

    public static ProjectionOptions From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ProjectionOptions>() ?? new ProjectionOptions();
}

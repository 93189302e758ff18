namespace CartGraph.Tests.Api.Ide;

/// <summary>A fact that needs Debian's Chromium; skipped, saying why, only where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Chromium.ExecutablePath))
            Skip = $"{Chromium.ExecutablePath} is missing (apt-get install chromium); CI installs it (.ci/run)";
    }
}

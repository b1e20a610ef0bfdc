using Gapless.Core.Ports;
using Gapless.Providers.Sim;

namespace Gapless.Cli;

/// <summary>The providers the CLI offers, configured from options and environment. Keys never leave here.</summary>
internal static class ProviderCatalog
{
    public static ProviderRegistry Create(GlobalOptions.Settings settings, TimeProvider clock)
    {
        var registry = new ProviderRegistry()
            .Add("sim", () => new SimProvider(new SimOptions(), clock));
        _ = settings;
        return registry;
    }
}

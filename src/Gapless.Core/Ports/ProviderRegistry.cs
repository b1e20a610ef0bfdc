using Gapless.Core.Errors;

namespace Gapless.Core.Ports;

/// <summary>
/// The providers a composition root offers, by name, each created on first use and then shared (so every caller
/// of a vendor shares its rate limiter). Disposing the registry disposes the providers it created. Thread-safe.
/// </summary>
public sealed class ProviderRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, Lazy<IBarProvider>> _providers = new(StringComparer.Ordinal);

    public ProviderRegistry Add(string name, Func<IBarProvider> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        _providers[name] = new Lazy<IBarProvider>(factory, LazyThreadSafetyMode.ExecutionAndPublication);
        return this;
    }

    public IReadOnlyCollection<string> Names => _providers.Keys;

    public bool Contains(string name) => _providers.ContainsKey(name);

    /// <exception cref="InvalidRequestException">No provider has that name.</exception>
    public IBarProvider Get(string name)
        => _providers.TryGetValue(name, out var provider)
            ? provider.Value
            : throw new InvalidRequestException($"unknown provider '{name}'; use one of: {string.Join(", ", _providers.Keys.Order(StringComparer.Ordinal))}");

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers.Values.Where(p => p.IsValueCreated).Select(p => p.Value))
        {
            switch (provider)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }
}

using System.Collections.Concurrent;

namespace ArtifactGraph.Server.Loading;

/// <summary>
/// The batch loaders of one request, keyed by what they load (relation plus argument set). One instance lives
/// in each request's user context, so loaders and their caches never outlive the request.
/// </summary>
public sealed class DataLoaderContext
{
    private readonly ConcurrentDictionary<string, object> loaders = new(StringComparer.Ordinal);

    public T GetOrAdd<T>(string key, Func<T> factory)
        where T : class
        => (T)loaders.GetOrAdd(key, _ => factory());

    /// <summary>Forgets every loader and its cache: after a mutation, what was loaded before may have changed.</summary>
    public void Clear() => loaders.Clear();
}

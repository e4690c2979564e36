using System.Collections.Concurrent;
using ArtifactGraph.Server.Telemetry;
using BitFaster.Caching.Lru;
using GraphQL.Types;
using GraphQLParser.AST;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// Parsed documents by their text, and which of their operations already passed validation against which schema.
/// Clients send the same few documents over and over (an app's queries, an n8n node, a dashboard), so parsing and
/// the validation rules run once per document, operation and schema instead of once per request. Variables are still
/// coerced on every request. Only documents that parsed are kept, only validations that passed are remembered, and
/// the cache holds at most <see cref="Capacity"/> documents, evicting the least recently used (BitFaster's
/// <see cref="ConcurrentLru{K, V}"/>), so unusual traffic (many one-off documents) costs memory only up to that bound
/// and does not push out the documents clients keep sending.
/// </summary>
public sealed class DocumentCache
{
    /// <summary>The most documents kept.</summary>
    public const int Capacity = 500;

    /// <summary>Longer documents are parsed every time: they are rare, and would make the bound costly.</summary>
    public const int MaxCachedLength = 16 * 1024;

    private readonly ConcurrentLru<string, Entry> entries = new(Environment.ProcessorCount, Capacity, StringComparer.Ordinal);

    public int Count => entries.Count;

    /// <summary>Requests answered with a document parsed before.</summary>
    public long Hits => entries.Metrics.Value?.Hits ?? 0;

    /// <summary>Lookups answered from memory, documents parsed, and documents pushed out by others.</summary>
    public CacheCounts Counts => CacheCounts.Of(entries.Metrics.Value);

    /// <summary>The cached parse of <paramref name="text"/>, or the result of <paramref name="parse"/> (which may throw; nothing is kept then).</summary>
    public Entry GetOrParse(string text, Func<GraphQLDocument> parse)
    {
        if (entries.TryGet(text, out var hit))
        {
            return hit;
        }

        var entry = new Entry(parse());
        if (text.Length <= MaxCachedLength)
        {
            entries.AddOrUpdate(text, entry);
        }

        return entry;
    }

    /// <summary>A parsed document and the (schema, rule set, operation) combinations it is known to be valid for.</summary>
    public sealed class Entry(GraphQLDocument document)
    {
        // Schemas are compared by reference: a schema is built once per permission set and kept (DirectusSchemaProvider).
        // The value: whether the direct read path may take the operation.
        private readonly ConcurrentDictionary<(ISchema Schema, bool Introspection, GraphQLOperationDefinition Operation), bool> valid = new();

        public GraphQLDocument Document { get; } = document;

        public bool IsValidated(ISchema schema, bool introspection, GraphQLOperationDefinition operation)
            => valid.ContainsKey((schema, introspection, operation));

        /// <summary>
        /// Validated, and not known to be refused by the direct read path (<see cref="RefuseDirect"/>): a request
        /// worth planning. Refused operations skip the planner and its argument coercion from then on.
        /// </summary>
        public bool MayReadDirectly(ISchema schema, bool introspection, GraphQLOperationDefinition operation)
            => valid.TryGetValue((schema, introspection, operation), out var direct) && direct;

        /// <summary>Remembers that the direct read path refuses this operation whatever its variables (a mutation, an aggregate…).</summary>
        public void RefuseDirect(ISchema schema, bool introspection, GraphQLOperationDefinition operation)
            => valid[(schema, introspection, operation)] = false;

        /// <summary>Remembers that every validation rule passed (a handful of entries per document at most: one per schema and operation used).</summary>
        public void MarkValidated(ISchema schema, bool introspection, GraphQLOperationDefinition operation)
        {
            if (valid.Count >= 64)
            {
                valid.Clear();
            }

            valid.TryAdd((schema, introspection, operation), true);
        }
    }
}

using ArtifactGraph.Server.GraphQL;
using GraphQLParser.AST;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>The document cache: one parse per text, bounded, validations remembered per schema and operation.</summary>
public sealed class DocumentCacheTests
{
    [Fact]
    public void A_text_is_parsed_once_and_a_failed_parse_is_not_kept()
    {
        var cache = new DocumentCache();
        var parses = 0;
        GraphQLDocument Parse(string text) { parses++; return GraphQLParser.Parser.Parse(text); }

        var first = cache.GetOrParse("{ a }", () => Parse("{ a }"));
        var second = cache.GetOrParse("{ a }", () => Parse("{ a }"));
        Assert.Same(first, second);
        Assert.Equal(1, parses);

        Assert.Throws<InvalidOperationException>(() => cache.GetOrParse("{ b", () => throw new InvalidOperationException("syntax")));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void Long_documents_are_not_kept_and_a_full_cache_evicts_the_least_recently_used()
    {
        var cache = new DocumentCache();
        var longText = "{ a" + new string(' ', DocumentCache.MaxCachedLength) + "}";
        cache.GetOrParse(longText, () => GraphQLParser.Parser.Parse(longText));
        Assert.Equal(0, cache.Count);

        var kept = cache.GetOrParse("{ kept }", () => GraphQLParser.Parser.Parse("{ kept }"));
        for (var i = 0; i < 2 * DocumentCache.Capacity; i++)
        {
            var text = $"{{ f{i} }}";
            cache.GetOrParse(text, () => GraphQLParser.Parser.Parse(text));
            Assert.Same(kept, cache.GetOrParse("{ kept }", () => throw new InvalidOperationException("parsed again")));
        }

        Assert.InRange(cache.Count, DocumentCache.Capacity - 10, DocumentCache.Capacity);
        Assert.Equal(2 * DocumentCache.Capacity, cache.Hits);
    }

    [Fact]
    public void Validation_is_remembered_per_schema_introspection_and_operation()
    {
        var entry = new DocumentCache().GetOrParse("query A { a } query B { b }", () => GraphQLParser.Parser.Parse("query A { a } query B { b }"));
        var operations = entry.Document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        var schema = new global::GraphQL.Types.Schema();
        var other = new global::GraphQL.Types.Schema();

        entry.MarkValidated(schema, introspection: true, operations[0]);

        Assert.True(entry.IsValidated(schema, true, operations[0]));
        Assert.False(entry.IsValidated(schema, true, operations[1]));
        Assert.False(entry.IsValidated(other, true, operations[0]));
        Assert.False(entry.IsValidated(schema, false, operations[0]));
        Assert.True(entry.MayReadDirectly(schema, true, operations[0]));

        entry.RefuseDirect(schema, true, operations[0]);
        Assert.True(entry.IsValidated(schema, true, operations[0]));
        Assert.False(entry.MayReadDirectly(schema, true, operations[0]));
    }
}

using ArtifactGraph.Server.Errors;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// <c>MAX_RELATIONAL_DEPTH</c> for a whole root field, as Directus checks it in <c>getQuery</c> before the root field's
/// resolver reads anything: a query that reaches deeper is that field's <c>INVALID_QUERY</c> error
/// ("Invalid query. Max relational depth exceeded."), with HTTP 200 and the other root fields answered as usual.
/// </summary>
internal static class RelationalDepthGuard
{
    /// <summary>Puts the check in front of the resolver of every field of a root type (Query or Mutation).</summary>
    public static void Apply(IComplexGraphType root, int maxDepth)
    {
        foreach (var field in root.Fields)
        {
            if (field.Resolver is not { } inner)
            {
                continue;
            }

            field.Resolver = new FuncFieldResolver<object?>(context =>
            {
                if (RelationalDepth.Of(context) > maxDepth)
                {
                    throw DirectusException.InvalidQuery("Max relational depth exceeded");
                }

                return inner.ResolveAsync(context);
            });
        }
    }
}

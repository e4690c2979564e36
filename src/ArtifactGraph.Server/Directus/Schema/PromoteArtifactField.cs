using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Promotion;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// <c>promoteArtifact(id, ifMatch)</c>, ArtifactGraph's own mutation on <c>/graphql</c>: the GraphQL face of
/// <see cref="ArtifactPromoter"/>. Its payload uses the generated collection types, so their relations resolve as anywhere else.
/// </summary>
public static class PromoteArtifactField
{
    public const string Name = "promoteArtifact";
    public const string PayloadName = "promote_artifact_payload";

    /// <summary>The caller may promote, and read what the payload shows (versions, projects, approvals).</summary>
    public static bool IsAvailable(TypeRegistry r)
        => r.Access.Can(r.Model["artifact_versions"], "promote")
            && new[] { "artifact_versions", "projects", "artifact_approvals" }.All(c => r.CanRead(r.Model[c]));

    public static void AddTo(IObjectGraphType mutation, TypeRegistry r, ItemReader reader)
        => mutation.AddField(new FieldType
        {
            Name = Name,
            Description = "Approves an artifact version in one transaction: the approved version of its path (project and schema_key) "
                + "becomes superseded, its content is written into the project's context at schema_key (segments split on / and . "
                + "are nested keys), the context_version goes up by one and the approval is recorded. Promoting a version that is "
                + "already approved and recorded changes nothing and answers replayed: true, so a retry is safe.",
            ResolvedType = Payload(r, reader),
            Arguments = new QueryArguments(
                ReadArguments.Arg("id", TypeRegistry.NonNull(r.Id), "The key of the artifact version to promote."),
                ReadArguments.Arg("ifMatch", r.Int,
                    "The project's context_version the caller last saw (also accepted as the If-Match header): when the context has "
                    + "moved on since, nothing changes and the answer is PRECONDITION_FAILED with the current context_version.")),
            Resolver = new FuncFieldResolver<object?>(async ctx =>
            {
                var user = (GraphQLUserContext)ctx.UserContext;
                var ifMatch = IfMatch.Resolve(user.IfMatch, ctx.GetArgument<int?>("ifMatch"));
                // As for any item, a key that cannot exist is not told apart from one that does not.
                var versions = r.Model["artifact_versions"];
                if (Items.ItemKeys.Parse(versions, ctx.GetArgument<string>("id")) is not Guid id)
                {
                    throw DirectusException.Forbidden();
                }

                // A role's promote permission may be limited to some versions (its item filter, e.g. one project's).
                if (user.Accountability.Access.For(versions, "promote")?.ItemFilter is { } allowed)
                {
                    var args = QueryArgs.None with { Filter = allowed };
                    if ((await reader.ReadKeysAsync(versions, [id], args, AccessRules.Admin, ctx.CancellationToken)).Count == 0)
                    {
                        throw DirectusException.Forbidden("You don't have permission to perform \"promote\" for collection \"artifact_versions\" or it does not exist.");
                    }
                }

                var promoter = ctx.RequestServices!.GetRequiredService<ArtifactPromoter>();
                return await promoter.PromoteAsync(id, ifMatch, user.Accountability, ctx.CancellationToken);
            }),
        });

    private static ObjectGraphType Payload(TypeRegistry r, ItemReader reader)
        => r.GetOrAdd(PayloadName, () => new ObjectGraphType(), t =>
        {
            var versions = r.Object(r.Model["artifact_versions"], reader);
            t.Description = "The outcome of promoteArtifact.";
            t.AddField(ObjectTypes.Field("artifact_version", TypeRegistry.NonNull(versions), "The promoted version, now approved.",
                ctx => Result(ctx).ArtifactVersion));
            t.AddField(ObjectTypes.Field("project", TypeRegistry.NonNull(r.Object(r.Model["projects"], reader)),
                "The version's project, with the context and context_version this promotion produced.", ctx => Result(ctx).Project));
            t.AddField(ObjectTypes.Field("superseded", TypeRegistry.NonNull(TypeRegistry.ListOf(TypeRegistry.NonNull(versions))),
                "The versions of the same path that were approved before and are superseded now (on a replay: the one the approval replaced).",
                ctx => Result(ctx).Superseded));
            t.AddField(ObjectTypes.Field("approval", TypeRegistry.NonNull(r.Object(r.Model["artifact_approvals"], reader)),
                "The approval row of the version, with the context_version it produced.", ctx => Result(ctx).Approval));
            t.AddField(ObjectTypes.Field("replayed", TypeRegistry.NonNull(r.Boolean),
                "True when the version was already approved and recorded, so that this request changed nothing.", ctx => Result(ctx).Replayed));
        });

    private static PromotionResult Result(IResolveFieldContext context) => (PromotionResult)context.Source!;
}

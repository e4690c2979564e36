using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using GraphQL;
using GraphQL.Types;

namespace ArtifactGraph.Tests.Http;

/// <summary>A small schema standing in for the generated one: a few fields that succeed, fail or crash.</summary>
internal sealed class TestSchemaProvider : IDirectusSchemaProvider
{
    private readonly Lazy<ISchema> _schema = new(Build);

    public ISchema GetSchema(GraphQLScope scope, Accountability accountability) => _schema.Value;

    private static ISchema Build()
    {
        var filter = new InputObjectGraphType { Name = "string_filter_operators" };
        filter.Field<StringGraphType>("_eq");
        filter.Field<StringGraphType>("_neq");
        filter.Field<StringGraphType>("_contains");

        var taskFilter = new InputObjectGraphType { Name = "tasks_filter" };
        taskFilter.Field("status", filter);

        var create = new InputObjectGraphType { Name = "create_projects_input" };
        create.Field<IdGraphType>("id");
        create.Field<StringGraphType>("name");
        create.Field<NonNullGraphType<IntGraphType>>("context_version");

        var query = new ObjectGraphType { Name = "Query" };
        query.Field<StringGraphType>("hello").Resolve(_ => "world");
        query.Field<StringGraphType>("echo").Argument<StringGraphType>("text").Resolve(c => c.GetArgument<string>("text"));
        query.Field<StringGraphType>("fail").Resolve(_ => throw DirectusException.Forbidden());
        query.Field<StringGraphType>("crash").Resolve(_ => throw new InvalidOperationException("SELECT * FROM directus_users WHERE token = 'x'"));
        query.Field<NonNullGraphType<StringGraphType>>("nonNullFail").Resolve(_ => throw DirectusException.Forbidden());
        query.Field<StringGraphType>("tasks_by_id").Argument<NonNullGraphType<IdGraphType>>("id").Resolve(_ => null);
        query.Field<ListGraphType<StringGraphType>>("tasks")
            .Argument<IntGraphType>("limit")
            .Argument(taskFilter, "filter")
            .Resolve(c => new[] { "a", "b" }.Take(c.GetArgument<int?>("limit") ?? 2));
        query.Field<StringGraphType>("whoami").Resolve(c =>
            ((GraphQLUserContext)c.UserContext).Accountability.IsAdmin ? "admin" : "public");

        var mutation = new ObjectGraphType { Name = "Mutation" };
        mutation.Field<BooleanGraphType>("touch").Resolve(_ => true);
        mutation.Field<StringGraphType>("create_projects_item").Argument(new NonNullGraphType(create), "data").Resolve(_ => "ok");

        return new Schema { Query = query, Mutation = mutation };
    }
}

/// <summary>Knows one administrator token.</summary>
internal sealed class FakeTokenAuthenticator : ITokenAuthenticator
{
    public const string AdminToken = "admin-token";

    public ValueTask<Accountability?> AuthenticateAsync(string token, CancellationToken cancellationToken)
        => new(token == AdminToken ? new Accountability(Guid.NewGuid(), Guid.NewGuid(), true) : null);
}

/// <summary>The public has no permissions (Directus's default), without a database to ask.</summary>
internal sealed class NoPublicAccess : IAccessRulesProvider
{
    public long Version => 0;

    public void Changed()
    {
    }

    public ValueTask<AccessRules> ForAsync(Guid? userId, Guid? roleId, CancellationToken cancellationToken) => new(AccessRules.None);
}

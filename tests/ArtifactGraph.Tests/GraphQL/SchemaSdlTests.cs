using ArtifactGraph.Data;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Tests.Infrastructure;
using GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using Snapshooter;
using Snapshooter.Xunit;

namespace ArtifactGraph.Tests.GraphQL;

public sealed class SchemaSdlTests
{
    private static readonly string[] UserCollections = ["tasks", "projects", "artifact_versions", "artifact_files", "task_artifacts", "artifact_approvals"];

    [Fact]
    public async Task ItemsSdl_user_collections_equal_Directus_type_for_type_field_for_field()
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Sqlite));
        var ours = Definitions(harness.Schemas.GetSchema(GraphQLScope.Items, EngineHarness.Admin).Print());
        var directus = Definitions(File.ReadAllText(Path.Combine(SharedPaths.DirectusReference, "sdl-items.graphql")));

        // ArtifactGraph's one addition to Directus's surface: the promoteArtifact mutation (its payload type is not in
        // Directus's SDL, so it is never compared). Only that field is left out of the comparison.
        var ownMutation = ours["Mutation"].Single(f => f.StartsWith("promoteArtifact(", StringComparison.Ordinal));
        ours["Mutation"].Remove(ownMutation);

        var compared = 0;
        foreach (var (name, expected) in directus.Where(d => IsUserSurface(d.Key)))
        {
            Assert.True(ours.TryGetValue(name, out var actual), $"type {name} is missing");
            Assert.Equal(expected, actual);
            compared++;
        }

        // Every collection's object, filter, aggregate, version and input types, plus the shared operator types.
        Assert.True(compared >= 70, $"only {compared} types compared");
    }

    // Snapshooter keeps snapshots in <folder>/__snapshots__/; schema/__snapshots__ is a link to schema/ itself, so the
    // snapshots are schema/schema.graphql and schema/system.graphql (mismatches land in schema/__mismatch__/, ignored).
    [Fact]
    public async Task ItemsSdl_matches_snapshot_in_schema_folder()
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Sqlite));
        var sdl = harness.Schemas.GetSchema(GraphQLScope.Items, EngineHarness.Admin).Print();
        Snapshot.Match(sdl, new SnapshotFullName("schema.graphql", Path.Combine(SharedPaths.RepositoryRoot, "schema")));
    }

    [Fact]
    public async Task SystemSdl_matches_snapshot_in_schema_folder()
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Sqlite));
        var sdl = harness.Schemas.GetSchema(GraphQLScope.System, EngineHarness.Admin).Print();
        Snapshot.Match(sdl, new SnapshotFullName("system.graphql", Path.Combine(SharedPaths.RepositoryRoot, "schema")));
    }

    [Fact]
    public async Task PublicSchema_has_only_empty_query()
    {
        await using var harness = new EngineHarness(await TestDatabase.CreateAsync(DatabaseClient.Sqlite));
        var definitions = Definitions(harness.Schemas.GetSchema(GraphQLScope.Items, Accountability.Public).Print());
        Assert.Equal(["_empty: Void"], definitions["Query"]);
        Assert.False(definitions.ContainsKey("Mutation"));
    }

    private static bool IsUserSurface(string name)
        => name is "Query" or "Mutation" or "datetime_functions" or "count_functions" or "delete_one" or "delete_many" or "EventEnum"
            || name.EndsWith("_operators", StringComparison.Ordinal)
            || UserCollections.Any(c => name == c || name == $"{c}_filter" || name == $"{c}_quantifier_filter"
                || name.StartsWith($"{c}_aggregated", StringComparison.Ordinal) || name == $"version_{c}" || name == $"create_{c}_input"
                || name == $"update_{c}_input" || name == $"{c}_mutated"
                || (name.StartsWith($"{c}_", StringComparison.Ordinal) && name.EndsWith("_func", StringComparison.Ordinal)));

    /// <summary>Each type's fields (or enum values) as "name(args): Type" lines, without descriptions.</summary>
    private static Dictionary<string, List<string>> Definitions(string sdl)
    {
        var document = Parser.Parse(sdl);
        var result = new Dictionary<string, List<string>>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition o:
                    result[o.Name.StringValue] = o.Fields?.Items.Select(f => $"{f.Name}{Args(f.Arguments)}: {TypeText(f.Type)}").ToList() ?? [];
                    break;
                case GraphQLInputObjectTypeDefinition i:
                    result[i.Name.StringValue] = i.Fields?.Items.Select(f => $"{f.Name}: {TypeText(f.Type)}").ToList() ?? [];
                    break;
                case GraphQLEnumTypeDefinition e:
                    result[e.Name.StringValue] = e.Values?.Items.Select(v => v.Name.StringValue).ToList() ?? [];
                    break;
            }
        }

        return result;
    }

    private static string Args(GraphQLArgumentsDefinition? args)
        => args is null ? "" : $"({string.Join(", ", args.Items.Select(a => $"{a.Name}: {TypeText(a.Type)}"))})";

    private static string TypeText(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => TypeText(n.Type) + "!",
        GraphQLListType l => $"[{TypeText(l.Type)}]",
        GraphQLNamedType t => t.Name.StringValue,
        _ => "?",
    };
}

using ArtifactGraph.Data;
using ArtifactGraph.Data.Diagnostics;
using ArtifactGraph.Server.Access;
using ArtifactGraph.Server.Auth;
using ArtifactGraph.Server.Configuration;
using ArtifactGraph.Server.Directus;
using ArtifactGraph.Server.Errors;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.GraphQL.Direct;
using ArtifactGraph.Server.Http;
using ArtifactGraph.Tests.Infrastructure;
using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>Runs GraphQL documents through the generated schema against a real test database (no HTTP).</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    public static readonly Accountability Admin = new(Guid.Parse("0a000000-0000-4000-8000-000000000001"), null, true);

    private readonly ServiceProvider services;
    private readonly DirectusDocumentExecuter executer = new();
    private readonly GraphQLSerializer serializer = new();
    private readonly bool ownsDatabase;
    private DbTokenAuthenticator? authenticator;

    public EngineHarness(TestDatabase database)
        : this(database, database.Settings, ownsDatabase: true)
    {
    }

    /// <summary>
    /// A harness on <paramref name="database"/> with other settings; a second harness on the same database, to compare
    /// them, does not own (dispose) it. <paramref name="configure"/> adds services of the server the harness leaves out.
    /// As the server at start-up, it reads the foreign keys the database enforces, unless <paramref name="readForeignKeys"/>
    /// is false (then every many-to-one is read from its related table).
    /// </summary>
    public EngineHarness(
        TestDatabase database, ServerSettings settings, bool ownsDatabase, Action<IServiceCollection>? configure = null, bool readForeignKeys = true)
    {
        Database = database;
        this.ownsDatabase = ownsDatabase;
        var collection = new ServiceCollection().AddLogging();
        collection.AddArtifactGraphData(database.Client, database.ConnectionString, settings.DbThreadSafetyChecks);
        collection.AddSingleton<ArtifactGraph.Data.Model.EnforcedForeignKeys>();
        collection.AddDirectusGraphQL(settings);
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
        if (readForeignKeys)
        {
            // A constructor cannot await; the catalog is one short statement on a migrated database.
            using var db = services.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>().CreateDbContext();
            services.GetRequiredService<ArtifactGraph.Data.Model.EnforcedForeignKeys>().LoadAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    public TestDatabase Database { get; }

    public IServiceProvider Services => services;

    public StatementCounter Statements => services.GetRequiredService<StatementCounter>();

    public IDirectusSchemaProvider Schemas => services.GetRequiredService<IDirectusSchemaProvider>();

    public async Task<ExecutionResult> ExecuteAsync(string query, GraphQLScope scope = GraphQLScope.Items, string? variablesJson = null, Accountability? who = null)
    {
        var accountability = who ?? Admin;
        return await executer.ExecuteAsync(o =>
        {
            o.Schema = Schemas.GetSchema(scope, accountability);
            o.Query = query;
            o.Variables = variablesJson is null ? null : serializer.Deserialize<Inputs>(variablesJson);
            o.UserContext = new GraphQLUserContext(accountability, services);
            o.RequestServices = services;
        });
    }

    /// <summary>The caller behind a static token, as the HTTP endpoint authenticates it (null: unknown token).</summary>
    /// <remarks>One authenticator for the harness's life, as the server has one: its token cache is part of what is tested.</remarks>
    public async Task<Accountability?> SignInAsync(string token)
        => await (authenticator ??= new DbTokenAuthenticator(
            services.GetRequiredService<IDbContextFactory<ArtifactGraphDbContext>>(),
            services.GetRequiredService<IAccessRulesProvider>(),
            TimeProvider.System)).AuthenticateAsync(token, CancellationToken.None);

    /// <summary>The public (no token) with its policies' permissions.</summary>
    public async Task<Accountability> PublicAsync()
        => Accountability.Public with { Access = await services.GetRequiredService<IAccessRulesProvider>().ForAsync(null, null, CancellationToken.None) };

    public async Task<string> ExecuteJsonAsync(string query, GraphQLScope scope = GraphQLScope.Items, string? variablesJson = null)
        => serializer.Serialize(await ExecuteAsync(query, scope, variablesJson));

    /// <summary>The answer as the HTTP endpoint writes it: Directus-shaped errors first, then data.</summary>
    public async Task<string> ExecuteDirectusJsonAsync(string query, GraphQLScope scope = GraphQLScope.Items, string? variablesJson = null, Accountability? who = null)
    {
        var result = await ExecuteAsync(query, scope, variablesJson, who);
        var errors = (result.Errors ?? []).Select(e => ExecutionErrorShaper.Shape(e, who ?? Admin)).ToList();
        return System.Text.Encoding.UTF8.GetString(GraphQLResponseWriter.Render(errors, result));
    }

    /// <summary>
    /// The answer of the direct read path (<see cref="DirectQueryExecutor"/>) for a document that passes validation:
    /// null when the planner leaves the query to GraphQL.NET, or when the executor hands it back.
    /// </summary>
    public Task<string?> ExecuteDirectJsonAsync(string query, GraphQLScope scope = GraphQLScope.Items, string? variablesJson = null, Accountability? who = null)
        => ExecuteDirectJsonAsync(query, streamable: false, scope, variablesJson, who);

    /// <summary>
    /// As <see cref="ExecuteDirectJsonAsync(string, GraphQLScope, string?, Accountability?)"/>, and when
    /// <paramref name="streamable"/>, large lists are read in batches while the answer is written (as over HTTP), here
    /// into memory; <paramref name="streamed"/> says whether it was.
    /// </summary>
    public async Task<string?> ExecuteDirectJsonAsync(
        string query, bool streamable, GraphQLScope scope = GraphQLScope.Items, string? variablesJson = null, Accountability? who = null,
        Action<bool>? streamed = null)
    {
        var accountability = who ?? Admin;
        var schema = Schemas.GetSchema(scope, accountability);
        var document = GraphQLParser.Parser.Parse(query);
        var operation = document.Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single();
        var user = new GraphQLUserContext(accountability, services, primesJoinedLoaders: false);
        var validation = await new global::GraphQL.Validation.DocumentValidator().ValidateAsync(new global::GraphQL.Validation.ValidationOptions
        {
            Schema = schema, Document = document, Operation = operation, Rules = global::GraphQL.Validation.DocumentValidator.CoreRules,
            Variables = variablesJson is null ? Inputs.Empty : serializer.Deserialize<Inputs>(variablesJson)!, UserContext = user, RequestServices = services,
        });
        Assert.True(validation.IsValid, string.Join("; ", validation.Errors.Select(e => e.Message)));
        var planner = new DirectQueryPlanner(services.GetRequiredService<ArtifactGraph.Server.Directus.Model.DirectusModel>(), Database.Settings.MaxRelationalDepth);
        if (planner.Plan(schema, scope, document, operation, validation, accountability.Access, out _) is not { } plan)
        {
            return null;
        }

        try
        {
            var answer = await DirectQueryExecutor.AnswerAsync(
                plan, user, services.GetRequiredService<ArtifactGraph.Server.Directus.Query.ItemReader>(), GraphQLResponseWriter.SerializerOptions, streamable, CancellationToken.None);
            streamed?.Invoke(answer.Streamed is not null);
            if (answer.Streamed is { } stream)
            {
                await using (stream)
                {
                    using var memory = new MemoryStream();
                    var output = System.IO.Pipelines.PipeWriter.Create(memory);
                    await stream.WriteAsync(output, CancellationToken.None);
                    await output.CompleteAsync();
                    return System.Text.Encoding.UTF8.GetString(memory.ToArray());
                }
            }

            using var body = answer.Body!;
            return System.Text.Encoding.UTF8.GetString(body.ToArray());
        }
        catch (DirectQueryUnsupportedException)
        {
            return null;
        }
    }

    /// <summary>The server's request runner (document cache, direct read path, GraphQL.NET) over this database, with these settings.</summary>
    public GraphQLExecutionService ExecutionService(ServerSettings settings)
        => ActivatorUtilities.CreateInstance<GraphQLExecutionService>(
            services, new DirectusDocumentExecuter(), new global::GraphQL.Validation.DocumentValidator(), settings, TimeProvider.System);

    public static async Task<EngineHarness> WithSeedAsync(DatabaseClient client)
    {
        var database = await TestDatabase.CreateAsync(client);
        await database.ImportSeedAsync();
        return new EngineHarness(database);
    }

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }
}

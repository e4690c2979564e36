using System.Linq.Expressions;
using ArtifactGraph.Data;
using ArtifactGraph.Data.Entities;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArtifactGraph.Tests.GraphQL;

/// <summary>
/// Filtered reads are compiled by shape (<see cref="FilterShape"/>): the filter's values are the compiled query's
/// parameters. A shape run with other values must answer as those values ask, exactly as the same read built on every
/// request (<c>DB_COMPILED_QUERIES=false</c>); filters whose values change the expression must not share a shape.
/// </summary>
public sealed class FilteredShapesTests
{
    private const string Apollo = "11111111-1111-4111-8111-111111111111";
    private const string Borealis = "22222222-2222-4222-8222-222222222222";

    /// <summary>A query with <c>{0}</c>, <c>{1}</c>; two sets of values whose answers differ on the seed; whether both share one shape.</summary>
    public static readonly (string Query, string[] First, string[] Second, bool OneShape)[] Pairs =
    [
        ("{{ artifact_versions(filter: {{ project_id: {{ id: {{ _eq: \"{0}\" }} }} }}, sort: [\"id\"]) {{ id }} }}", [Apollo], [Borealis], true),
        ("{{ task_artifacts(filter: {{ artifact_version_id: {{ project_id: {{ id: {{ _eq: \"{0}\" }} }} }} }}, sort: [\"id\"]) {{ id }} }}", [Apollo], [Borealis], true),
        // Lists of other lengths: one parameter either way.
        ("{{ artifact_versions(filter: {{ status: {{ _in: [{0}] }} }}, sort: [\"id\"]) {{ id status }} }}", ["\"draft\""], ["\"approved\", \"pending\", \"rejected\""], true),
        ("{{ artifact_versions(filter: {{ status: {{ _nin: [{0}] }} }}, sort: [\"id\"]) {{ id }} }}", ["\"draft\""], ["\"approved\", \"pending\""], true),
        ("{{ artifact_versions(filter: {{ _and: [{{ version: {{ _gte: {0} }} }}, {{ schema_key: {{ _starts_with: \"{1}\" }} }}] }}, sort: [\"id\"]) {{ id }} }}", ["2", "spec"], ["1", "budget"], true),
        ("{{ tasks(filter: {{ _or: [{{ status: {{ _eq: \"{0}\" }} }}, {{ title: {{ _contains: \"{1}\" }} }}] }}, sort: [\"id\"]) {{ id }} }}", ["todo", "spec"], ["done", "budget"], true),
        ("{{ artifact_versions(filter: {{ date_created: {{ _between: [\"{0}\", \"{1}\"] }} }}, sort: [\"id\"]) {{ id }} }}", ["2023-01-01", "2023-12-31"], ["2024-01-01", "2024-12-31"], true),
        ("{{ artifact_versions(filter: {{ version: {{ _lt: {0} }}, status: {{ _neq: \"{1}\" }} }}, limit: 3, sort: [\"-date_created\"]) {{ id }} }}", ["2", "approved"], ["3", "draft"], true),
        // A whole list (read in batches; the first is compiled).
        ("{{ artifact_versions(filter: {{ schema_key: {{ _eq: \"{0}\" }} }}, sort: [\"-version\"], limit: -1) {{ id version }} }}", ["spec/requirements"], ["budget/estimate"], true),
        // Through relations: a many-to-one's field, a one-to-many quantifier.
        ("{{ tasks(filter: {{ project_id: {{ name: {{ _eq: \"{0}\" }} }} }}, sort: [\"id\"]) {{ id }} }}", ["Apollo"], ["Borealis"], true),
        ("{{ artifact_versions(filter: {{ files: {{ _some: {{ sort: {{ _gt: {0} }} }} }} }}, sort: [\"id\"]) {{ id }} }}", ["1"], ["0"], true),
        ("{{ tasks(filter: {{ artifacts: {{ _none: {{ artifact_version_id: {{ status: {{ _eq: \"{0}\" }} }} }} }} }}, sort: [\"id\"]) {{ id }} }}", ["approved"], ["draft"], true),
        // A nested list with a filter: a batch load with the filter's values beside its keys.
        ("{{ artifact_versions(sort: [\"id\"]) {{ id files(filter: {{ sort: {{ _eq: {0} }} }}) {{ sort directus_files_id {{ id }} }} }} }}", ["1"], ["2"], true),
        ("{{ tasks(sort: [\"id\"]) {{ id artifacts(filter: {{ artifact_version_id: {{ status: {{ _eq: \"{0}\" }} }} }}, sort: [\"sort\"]) {{ sort }} }} }}", ["approved"], ["draft"], true),
        // As many values as a compiled query takes: 14, beside the batch load's keys when nested.
        ("{{ artifact_versions(filter: {{ _or: [{0}] }}, sort: [\"id\"]) {{ id }} }}", [Conditions("version", 1)], [Conditions("version", 2)], true),
        ("{{ artifact_versions(sort: [\"id\"]) {{ id files(filter: {{ _or: [{0}] }}) {{ sort }} }} }}", [Conditions("sort", 1)], [Conditions("sort", 2)], true),
        // Values that change the expression: other shapes, each answering as asked.
        ("{{ tasks(filter: {{ status: {{ _null: {0} }} }}, sort: [\"id\"]) {{ id }} }}", ["true"], ["false"], false),
        ("{{ tasks(filter: {{ status: {{ _eq: {0} }} }}, sort: [\"id\"]) {{ id }} }}", ["\"todo\""], ["null"], false),
        // A case-insensitive pattern is a SQL literal: not compiled, and answered as asked.
        ("{{ artifact_versions(filter: {{ schema_key: {{ _icontains: \"{0}\" }} }}, sort: [\"id\"]) {{ id }} }}", ["SPEC"], ["Budget"], false),
    ];

    /// <summary><see cref="FilterShape.MaxValues"/> conditions <c>{ field: { _eq: n } }</c>, n counting from <paramref name="first"/>.</summary>
    private static string Conditions(string field, int first)
        => string.Join(", ", Enumerable.Range(first, FilterShape.MaxValues).Select(n => $"{{ {field}: {{ _eq: {n} }} }}"));

    public static TheoryData<DatabaseClient, int> Cases()
    {
        var data = new TheoryData<DatabaseClient, int>();
        foreach (var client in new[] { DatabaseClient.Sqlite, DatabaseClient.Postgres })
        {
            for (var i = 0; i < Pairs.Length; i++)
            {
                data.Add(client, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_shape_run_with_other_values_answers_as_built_for_them(DatabaseClient client, int pair)
    {
        var (template, first, second, oneShape) = Pairs[pair];
        await using var compiled = await EngineHarness.WithSeedAsync(client);
        await using var built = new EngineHarness(compiled.Database, compiled.Database.Settings with { DbCompiledQueries = false }, ownsDatabase: false);
        var a = string.Format(template, first);
        var b = string.Format(template, second);

        var expectedA = await built.ExecuteDirectusJsonAsync(a);
        var expectedB = await built.ExecuteDirectusJsonAsync(b);
        Assert.DoesNotContain("\"errors\"", expectedA + expectedB);
        Assert.NotEqual(expectedA, expectedB);

        Assert.Equal(expectedA, await compiled.ExecuteDirectusJsonAsync(a));
        var shapes = ShapeCount(compiled);
        Assert.Equal(expectedB, await compiled.ExecuteDirectusJsonAsync(b));
        Assert.Equal(expectedA, await compiled.ExecuteDirectJsonAsync(a));
        Assert.Equal(expectedB, await compiled.ExecuteDirectJsonAsync(b));
        if (oneShape)
        {
            Assert.True(shapes > 0, "nothing was compiled");
            Assert.Equal(shapes, ShapeCount(compiled));
        }
    }

    /// <summary>
    /// The permission filter's values (the editor's projects) are parameters too: the editor's compiled shape answers
    /// with the editor's rows, and other values of the editor's own filter reuse it.
    /// </summary>
    [Theory]
    [InlineData(DatabaseClient.Sqlite)]
    [InlineData(DatabaseClient.Postgres)]
    public async Task A_role_with_an_item_filter_reads_its_rows_through_a_compiled_shape(DatabaseClient client)
    {
        await using var compiled = await EngineHarness.WithSeedAsync(client);
        await compiled.Database.ImportAsync(Infrastructure.SharedPaths.Fixture("editor-role.json"));
        await using var built = new EngineHarness(compiled.Database, compiled.Database.Settings with { DbCompiledQueries = false }, ownsDatabase: false);
        var editor = await compiled.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");
        var builtEditor = await built.SignInAsync("editor-token") ?? throw new InvalidOperationException("no editor");
        const string query = "{{ artifact_versions(filter: {{ status: {{ _eq: \"{0}\" }} }}, sort: [\"id\"]) {{ id }} }}";

        var before = ShapeCount(compiled);
        foreach (var status in new[] { "approved", "pending" })
        {
            var text = string.Format(query, status);
            var expected = await built.ExecuteDirectusJsonAsync(text, who: builtEditor);
            Assert.Equal(expected, await compiled.ExecuteDirectusJsonAsync(text, who: editor));
            Assert.NotEqual(await built.ExecuteDirectusJsonAsync(text), expected);
        }

        Assert.Equal(before + 1, ShapeCount(compiled));
    }

    /// <summary>A batch load's keys and 14 values: the most parameters EF Core compiles (15), both levels compiled.</summary>
    [Fact]
    public async Task A_nested_list_with_the_most_values_is_compiled()
    {
        await using var h = await EngineHarness.WithSeedAsync(DatabaseClient.Sqlite);
        var query = $"{{ artifact_versions(sort: [\"id\"]) {{ id files(filter: {{ _or: [{Conditions("sort", 1)}] }}) {{ sort }} }} }}";

        Assert.DoesNotContain("\"errors\"", await h.ExecuteDirectusJsonAsync(query));
        Assert.Equal(2, ShapeCount(h));
    }

    [Fact]
    public void Values_are_slots_and_everything_else_is_in_the_key()
    {
        var title = Shape(x => x.Title == Value("a"));
        var otherTitle = Shape(x => x.Title == Value("b"));
        var status = Shape(x => x.Status == Value("a"));

        Assert.Equal(title.Key, otherTitle.Key);
        Assert.Equal(["b"], otherTitle.Values);
        Assert.Equal([typeof(string)], otherTitle.Types);
        Assert.NotEqual(title.Key, status.Key);

        // A scalar constant is part of the expression: its value is in the key.
        Assert.NotEqual(Shape(x => x.Title == "a").Key, Shape(x => x.Title == "b").Key);
        Assert.NotEqual(Shape(x => x.Title!.Length == 1).Key, Shape(x => x.Title!.Length == 2).Key);
        Assert.NotEqual(Shape(x => x.Title == Value("a") || x.Title == null).Key, title.Key);

        // One box used twice is one parameter.
        var box = Expressions.Parameter("a", typeof(string));
        var x = Expression.Parameter(typeof(ProjectTask), "x");
        var twice = FilterShape.Of(null, Expression.Lambda<Func<ProjectTask, bool>>(
            Expression.AndAlso(Expression.Equal(Expression.Property(x, nameof(ProjectTask.Title)), box), Expression.Equal(Expression.Property(x, nameof(ProjectTask.Status)), box)), x))!;
        Assert.Single(twice.Values);

        // The permission filter and the read's own filter are told apart.
        Assert.NotEqual(FilterShape.Of(title.Predicate, null)!.Key, FilterShape.Of(null, title.Predicate)!.Key);
    }

    [Fact]
    public void Literals_parameters_objects_and_too_many_values_are_not_compiled()
    {
        Assert.Null(FilterShape.Of(null, Lambda(x => Expression.Equal(Expression.Property(x, nameof(ProjectTask.Title)), Expressions.Literal("a")))));
        var list = Expression.Constant(new List<string> { "a" });
        Assert.Null(FilterShape.Of(null, Lambda(x => Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)], list, Expression.Property(x, nameof(ProjectTask.Title))))));

        var many = Enumerable.Range(0, FilterShape.MaxValues + 1).Select(i => Expressions.Parameter($"v{i}", typeof(string))).ToList();
        Assert.Null(FilterShape.Of(null, Lambda(x => Expressions.OrElse(many.Select(v => Expression.Equal(Expression.Property(x, nameof(ProjectTask.Title)), v))))));
        Assert.NotNull(FilterShape.Of(null, Lambda(x => Expressions.OrElse(many.Skip(1).Select(v => Expression.Equal(Expression.Property(x, nameof(ProjectTask.Title)), v))))));
    }

    private static int ShapeCount(EngineHarness h) => h.Services.GetRequiredService<ItemReader>().CompiledShapeCount;

    private static string Value(string value) => throw new InvalidOperationException($"replaced by a box: {value}");

    private static (string Key, object?[] Values, Type[] Types, Expression<Func<ProjectTask, bool>> Predicate) Shape(Expression<Func<ProjectTask, bool>> predicate)
    {
        var boxed = (Expression<Func<ProjectTask, bool>>)new Boxer().Visit(predicate);
        var shape = FilterShape.Of(null, boxed) ?? throw new InvalidOperationException("not compilable");
        return (shape.Key, shape.Values, shape.Types, boxed);
    }

    private static Expression<Func<ProjectTask, bool>> Lambda(Func<ParameterExpression, Expression> body)
    {
        var x = Expression.Parameter(typeof(ProjectTask), "x");
        return Expression.Lambda<Func<ProjectTask, bool>>(body(x), x);
    }

    /// <summary>Turns <c>Value("…")</c> into the box the filter translator makes (<see cref="Expressions.Parameter"/>).</summary>
    private sealed class Boxer : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
            => node.Method.Name == nameof(Value) && node.Arguments[0] is ConstantExpression { Value: string value }
                ? Expressions.Parameter(value, typeof(string))
                : base.VisitMethodCall(node);
    }
}

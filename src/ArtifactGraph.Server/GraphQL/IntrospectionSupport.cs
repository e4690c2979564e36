using GraphQL;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;

namespace ArtifactGraph.Server.GraphQL;

/// <summary>
/// Introspection as IDEs probe it (Banana Cake Pop, GraphiQL, codegen tools): <c>__Directive.isRepeatable</c> and
/// input-value deprecation, which GraphQL.NET offers as features but keeps partly hidden, and
/// <c>__Type.specifiedByURL</c>, which graphql-js's <c>getIntrospectionQuery({ specifiedByUrl: true })</c> asks for and
/// GraphQL.NET 8 lacks. Banana Cake Pop asks
/// <c>__type(name: "__Directive") { fields { name } }</c> first and then, having seen <c>isDeprecated</c> on
/// <c>__InputValue</c>, sends <c>directives { args(includeDeprecated: true) }</c> as graphql-js defines it.
/// </summary>
public static class IntrospectionSupport
{
    public static void Enable(Schema schema)
    {
        schema.Features.RepeatableDirectives = true;
        schema.Features.DeprecationOfInputValues = true;

        // The default filter hides isRepeatable from __type(name: "__Directive") even with the feature on.
        schema.Filter = new ExperimentalIntrospectionFeaturesSchemaFilter();
        schema.RegisterVisitor(DirectiveArgsDeprecation.Instance);
        schema.RegisterVisitor(ScalarSpecifiedByUrl.Instance);
        schema.RegisterVisitor(SchemaDescriptions.Instance);
    }

    /// <summary>Gives <c>__Directive.args</c> graphql-js's <c>includeDeprecated: Boolean = false</c>, which GraphQL.NET lacks.</summary>
    private sealed class DirectiveArgsDeprecation : BaseSchemaNodeVisitor
    {
        public static readonly DirectiveArgsDeprecation Instance = new();

        public override void VisitObjectFieldDefinition(FieldType field, IObjectGraphType type, ISchema schema)
        {
            if (type.Name != "__Directive" || field.Name != "args" || field.Arguments?.Find("includeDeprecated") is not null)
            {
                return;
            }

            var boolean = schema.AllTypes["Boolean"] ?? new BooleanGraphType();
            field.Arguments ??= new QueryArguments();
            field.Arguments.Add(new QueryArgument(boolean)
            {
                Name = "includeDeprecated", DefaultValue = false, ResolvedType = boolean, Description = "Whether deprecated arguments are listed too.",
            });
            var inner = field.Resolver!;
            field.Resolver = new FuncFieldResolver<object?>(async context =>
            {
                var args = await inner.ResolveAsync(context);
                return args is IEnumerable<QueryArgument> list && !context.GetArgument<bool>("includeDeprecated")
                    ? list.Where(a => a.DeprecationReason is null).ToList()
                    : args;
            });
        }
    }

    /// <summary>
    /// Adds graphql-js's <c>__Type.specifiedByURL: String</c>. No scalar of the schema points at a specification (nor
    /// does any of Directus's), so it is null for every type, as graphql-js answers for a scalar without one.
    /// </summary>
    private sealed class ScalarSpecifiedByUrl : BaseSchemaNodeVisitor
    {
        public static readonly ScalarSpecifiedByUrl Instance = new();

        public override void VisitObject(IObjectGraphType type, ISchema schema)
        {
            if (type.Name != "__Type" || type.HasField("specifiedByURL"))
            {
                return;
            }

            type.AddField(new FieldType
            {
                Name = "specifiedByURL",
                ResolvedType = schema.AllTypes["String"] ?? new StringGraphType(),
                Resolver = new FuncFieldResolver<object?>(_ => null),
            });
        }
    }
}

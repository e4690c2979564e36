using ArtifactGraph.Server.Directus.Model;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// <c>create_&lt;c&gt;_input</c> and <c>update_&lt;c&gt;_input</c> (spec §7.3): scalars (required in create as in the
/// read type, all optional in update), many-to-one fields as nested inputs, aliases as lists of the child input.
/// </summary>
public static class InputTypes
{
    public static InputObjectGraphType CreateInput(this TypeRegistry r, CollectionModel c) => r.Input(c, create: true);

    public static InputObjectGraphType UpdateInput(this TypeRegistry r, CollectionModel c) => r.Input(c, create: false);

    private static InputObjectGraphType Input(this TypeRegistry r, CollectionModel c, bool create)
    {
        var prefix = create ? "create" : "update";
        return r.GetOrAdd($"{prefix}_{c.Name}_input", () => new InputObjectGraphType(), t =>
        {
            t.Description = create ? $"A new {c.Name} item." : $"Changes to a {c.Name} item: only the fields given are written.";
            foreach (var f in r.Writable(c, prefix))
            {
                switch (f.Kind)
                {
                    case FieldKind.ManyToOne:
                        t.Field(f.Name, r.Input(f.Related!, create));
                        break;
                    case FieldKind.OneToMany:
                        t.Field(f.Name, TypeRegistry.ListOf(r.Input(f.Related!, create)));
                        break;
                    case FieldKind.Scalar when f.IsPrimaryKey:
                        var required = create && !f.IsGenerated && !f.HasTruthyDefault;
                        t.Field(f.Name, required ? TypeRegistry.NonNull(r.Id) : r.Id);
                        break;
                    default:
                        t.Field(f.Name, create && f.IsRequired ? TypeRegistry.NonNull(r.Scalar(f)) : r.Scalar(f));
                        break;
                }
            }
        });
    }

    /// <summary><c>version_&lt;c&gt;</c>: the raw view of an item in a content version (relations as JSON).</summary>
    public static ObjectGraphType VersionType(this TypeRegistry r, CollectionModel c)
        => r.GetOrAdd($"version_{c.Name}", () => new ObjectGraphType(), t =>
        {
            t.Description = "";
            foreach (var f in r.Readable(c))
            {
                IGraphType type = f.Kind == FieldKind.Scalar ? (f.IsPrimaryKey ? r.Id : r.Scalar(f)) : r.Json;
                t.AddField(ObjectTypes.Field(f.Name, type, null, ctx => f.Kind switch
                {
                    FieldKind.OneToMany => null,
                    FieldKind.ManyToOne => f.Getter(ctx.Source!)?.ToString(),
                    _ => ObjectTypes.OutputValue(f, f.Getter(ctx.Source!)),
                }));
            }
        });
}

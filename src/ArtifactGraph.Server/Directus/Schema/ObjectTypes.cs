using System.Text.Json;
using ArtifactGraph.Server.Directus.Model;
using ArtifactGraph.Server.Directus.Query;
using ArtifactGraph.Server.GraphQL;
using ArtifactGraph.Server.Loading;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace ArtifactGraph.Server.Directus.Schema;

/// <summary>
/// The read type of each collection (spec §2): scalars, <c>_func</c> fields, many-to-one fields as the related type and
/// one-to-many aliases as lists of the junction or child type, every relation resolved through a batch loader.
/// </summary>
public static class ObjectTypes
{
    public static ObjectGraphType Object(this TypeRegistry r, CollectionModel c, ItemReader reader)
        => r.GetOrAdd(c.Name, () => new ObjectGraphType(), t =>
        {
            t.Description = $"An item of the {c.Name} collection.";
            foreach (var f in r.Readable(c))
            {
                switch (f.Kind)
                {
                    case FieldKind.ManyToOne:
                        t.AddField(ManyToOne(r, f, reader));
                        break;
                    case FieldKind.OneToMany:
                        t.AddField(OneToMany(r, f, reader));
                        t.AddField(Field($"{f.Name}_func", r.CountFunctions(reader), $"Functions of {f.Name}: count of related rows.",
                            ctx => new AliasFunctionSource(f, f.Collection.PrimaryKey.Getter(ctx.Source!)!)));
                        break;
                    default:
                        AddScalar(r, t, f);
                        break;
                }
            }
        });

    private static void AddScalar(TypeRegistry r, ObjectGraphType t, FieldModel f)
    {
        var type = f.IsPrimaryKey ? TypeRegistry.NonNull(r.Id) : f.IsRequired ? TypeRegistry.NonNull(r.Scalar(f)) : r.Scalar(f);
        t.AddField(Field(f.Name, type, null, ctx => OutputValue(f, f.Getter(ctx.Source!))));
        if (f.IsDateTime)
        {
            t.AddField(Field($"{f.Name}_func", r.DateTimeFunctions(), $"Parts of {f.Name} (UTC).",
                ctx => new DateParts((DateTime?)f.Getter(ctx.Source!))));
        }
        else if (f.IsJson)
        {
            t.AddField(Field($"{f.Name}_func", r.JsonFunctions(f), $"Functions of {f.Name}: array length and JSON path lookup.",
                ctx => new JsonFunctionSource(ParseJson(f.Getter(ctx.Source!) as string))));
        }
    }

    /// <summary>A column value as Directus writes it: ids as strings, JSON parsed.</summary>
    public static object? OutputValue(FieldModel f, object? value) => value switch
    {
        null => null,
        Guid g => g.ToString("D"),
        int i when f.IsPrimaryKey => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string s when f.IsJson => ParseJson(s),
        string s when f.DirectusType == "csv" => s.Split(',', StringSplitOptions.RemoveEmptyEntries),
        _ => value,
    };

    public static JsonElement? ParseJson(string? text)
    {
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text);
        }
        catch (JsonException)
        {
            // A json column written by another tool may hold plain text; show it as a JSON string.
            return JsonSerializer.SerializeToElement(text);
        }
    }

    private static FieldType ManyToOne(TypeRegistry r, FieldModel f, ItemReader reader)
    {
        var target = f.Related!;
        return new FieldType
        {
            Name = f.Name,
            Description = $"The related {target.Name} item.",
            ResolvedType = r.Object(target, reader),
            Arguments = ReadArguments.For(r, target),
            Resolver = new FuncFieldResolver<object?>(ctx =>
            {
                if (f.Getter(ctx.Source!) is not { } key)
                {
                    return null;
                }

                var read = ((GraphQLUserContext)ctx.UserContext).Read;
                var args = ReadArguments.Parse(ctx, target);
                return RelationLoaders.IsKeyOnly(read, reader, f, args)
                    ? RelationLoaders.KeyItem(target, key)
                    : RelationLoaders.LoadOne(read, reader, target, key, args);
            }),
        };
    }

    private static FieldType OneToMany(TypeRegistry r, FieldModel f, ItemReader reader)
    {
        var child = f.Related!;
        return new FieldType
        {
            Name = f.Name,
            Description = $"The {child.Name} rows of this item, ordered by {f.SortField ?? "their key"} unless sorted otherwise.",
            ResolvedType = TypeRegistry.ListOf(r.Object(child, reader)),
            Arguments = ReadArguments.For(r, child),
            Resolver = new FuncFieldResolver<object?>(ctx =>
                RelationLoaders.LoadMany(((GraphQLUserContext)ctx.UserContext).Read, reader, f, f.Collection.PrimaryKey.Getter(ctx.Source!)!, ReadArguments.Parse(ctx, child))),
        };
    }

    public static FieldType Field(string name, IGraphType type, string? description, Func<IResolveFieldContext, object?> resolve) => new()
    {
        Name = name,
        Description = description,
        ResolvedType = type,
        Resolver = new FuncFieldResolver<object?>(resolve),
    };

    private static ObjectGraphType DateTimeFunctions(this TypeRegistry r)
        => r.GetOrAdd("datetime_functions", () => new ObjectGraphType(), t =>
        {
            t.Description = "Parts of a timestamp in UTC (weekday: 0 = Sunday; week: ISO week).";
            foreach (var part in DateParts.Names)
            {
                t.AddField(Field(part, r.Int, null, ctx => ((DateParts)ctx.Source!).Part(part)));
            }
        });

    private static ObjectGraphType CountFunctions(this TypeRegistry r, ItemReader reader)
        => r.GetOrAdd("count_functions", () => new ObjectGraphType(), t =>
        {
            t.Description = "Functions of a relational field.";
            t.AddField(Field("count", r.Int, "The number of related rows.", ctx =>
            {
                var source = (AliasFunctionSource)ctx.Source!;
                return RelationLoaders.LoadCount(((GraphQLUserContext)ctx.UserContext).Read, reader, source.Field, source.ParentKey);
            }));
        });

    private static ObjectGraphType JsonFunctions(this TypeRegistry r, FieldModel f)
        => r.GetOrAdd($"{f.Collection.Name}_{f.Name}_func", () => new ObjectGraphType(), t =>
        {
            t.Description = $"Functions of the JSON field {f.Name}.";
            t.AddField(Field("count", r.Int, "The length of the JSON array (null when the value is not an array).",
                ctx => ((JsonFunctionSource)ctx.Source!).Count()));
            t.AddField(new FieldType
            {
                Name = "json",
                Description = "The value at a JSON path such as a.b[0] (or $.a.b[0]).",
                ResolvedType = r.Json,
                Arguments = new QueryArguments(ReadArguments.Arg("path", TypeRegistry.NonNull(r.String), "The JSON path.")),
                Resolver = new FuncFieldResolver<object?>(ctx => ((JsonFunctionSource)ctx.Source!).At(ctx.GetArgument<string>("path"))),
            });
        });
}

/// <summary>The source of a relation's <c>_func</c> object: which alias and which parent.</summary>
public sealed record AliasFunctionSource(FieldModel Field, object ParentKey);

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Model;

/// <summary>
/// The thin layer of Directus facts on top of the EF Core model: what EF cannot say about a field
/// (its Directus type, its specials) or a relation (the junction's sort field). Everything else
/// (tables, columns, keys, nullability, relations) is read from the EF model itself.
/// </summary>
public static class DirectusAnnotations
{
    public const string Collection = "Directus:Collection";
    public const string CollectionOrder = "Directus:Order";
    public const string FieldType = "Directus:Type";
    public const string Special = "Directus:Special";
    public const string SortField = "Directus:SortField";
    public const string Note = "Directus:Note";
    public const string System = "Directus:System";
    public const string ReadOnly = "Directus:ReadOnly";

    /// <summary>Names the Directus collection (the table name) and its place in the schema.</summary>
    public static EntityTypeBuilder<T> IsDirectusCollection<T>(this EntityTypeBuilder<T> builder, string name, int order, bool system = false)
        where T : class
    {
        builder.ToTable(name);
        builder.HasAnnotation(Collection, name);
        builder.HasAnnotation(CollectionOrder, order);
        if (system)
        {
            builder.HasAnnotation(System, true);
        }

        return builder;
    }

    /// <summary>A collection only the server writes (activity, revisions): no mutations, as in Directus.</summary>
    public static EntityTypeBuilder<T> IsReadOnlyCollection<T>(this EntityTypeBuilder<T> builder)
        where T : class
        => builder.HasAnnotation(ReadOnly, true);

    /// <summary>Overrides the Directus type that would be inferred from the CLR type (json, hash, text…).</summary>
    public static PropertyBuilder<T> HasDirectusType<T>(this PropertyBuilder<T> builder, string type)
        => builder.HasAnnotation(FieldType, type);

    /// <summary>Directus "special" flags: uuid, date-created, date-updated, cast-json…</summary>
    public static PropertyBuilder<T> HasDirectusSpecial<T>(this PropertyBuilder<T> builder, string special)
        => builder.HasAnnotation(Special, special);

    /// <summary>A JSON value (Directus <c>json</c> with <c>cast-json</c>): <c>json</c> on PostgreSQL, text on SQLite.</summary>
    public static PropertyBuilder<string?> IsDirectusJson(this PropertyBuilder<string?> builder, string pgColumnType = "json")
        => builder.HasColumnType(pgColumnType).HasDirectusType("json").HasDirectusSpecial("cast-json");
}

using System.Linq.Expressions;
using System.Reflection;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace ArtifactGraph.Server.Directus.Model;

/// <summary>
/// The one description of the data model the whole Directus surface is generated from: read from the EF Core
/// model (tables, columns, keys, nullability, relations) plus the Directus annotations (types, specials, sort
/// fields). Field order is the entity's property declaration order, as Directus orders fields.
/// </summary>
public sealed class DirectusModel
{
    private readonly Dictionary<string, CollectionModel> byName;
    private readonly Dictionary<Type, CollectionModel> byType;

    private DirectusModel(List<CollectionModel> collections)
    {
        Collections = collections;
        byName = collections.ToDictionary(c => c.Name, StringComparer.Ordinal);
        byType = collections.ToDictionary(c => c.EntityType);
    }

    public IReadOnlyList<CollectionModel> Collections { get; }

    public CollectionModel this[string name] => byName[name];

    public CollectionModel ForType(Type entityType) => byType[entityType];

    public bool TryGet(string name, out CollectionModel collection) => byName.TryGetValue(name, out collection!);

    public static DirectusModel FromEf(IModel model)
    {
        var entities = model.GetEntityTypes()
            .Where(e => e.FindAnnotation(DirectusAnnotations.Collection) is not null)
            .OrderBy(e => (int)e.FindAnnotation(DirectusAnnotations.CollectionOrder)!.Value!)
            .ToList();

        var collections = entities.Select(e => new CollectionModel
        {
            Name = (string)e.FindAnnotation(DirectusAnnotations.Collection)!.Value!,
            EntityType = e.ClrType,
            Order = (int)e.FindAnnotation(DirectusAnnotations.CollectionOrder)!.Value!,
            IsSystem = e.FindAnnotation(DirectusAnnotations.System)?.Value is true,
            IsReadOnly = e.FindAnnotation(DirectusAnnotations.ReadOnly)?.Value is true,
        }).ToList();
        var result = new DirectusModel(collections);

        foreach (var entity in entities)
        {
            var collection = result.ForType(entity.ClrType);
            foreach (var clrProperty in entity.ClrType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (entity.FindProperty(clrProperty.Name) is { } property)
                {
                    collection.Fields.Add(ScalarOrManyToOne(entity, property, clrProperty));
                }
                else if (entity.FindNavigation(clrProperty.Name) is { IsCollection: true } navigation)
                {
                    collection.Fields.Add(OneToMany(navigation, clrProperty));
                }
            }

            foreach (var field in collection.Fields)
            {
                field.Collection = collection;
            }
        }

        foreach (var collection in collections)
        {
            foreach (var field in collection.Fields)
            {
                Link(result, field);
            }
        }

        return result;
    }

    private static FieldModel ScalarOrManyToOne(IEntityType entity, IProperty property, PropertyInfo clr)
    {
        var foreignKey = property.GetContainingForeignKeys().FirstOrDefault(fk => fk.DeclaringEntityType == entity);
        var navigation = foreignKey?.DependentToPrincipal?.PropertyInfo;
        var defaultValue = property.GetDefaultValue();
        var truthyDefault = property.GetDefaultValueSql() is not null
            || (defaultValue is not null && defaultValue is not (0 or 0L or false or ""));
        var special = property.FindAnnotation(DirectusAnnotations.Special)?.Value as string;
        return new FieldModel
        {
            Name = property.GetColumnName(),
            Kind = navigation is null ? FieldKind.Scalar : FieldKind.ManyToOne,
            DirectusType = property.FindAnnotation(DirectusAnnotations.FieldType)?.Value as string ?? InferType(property.ClrType),
            Property = clr,
            Navigation = navigation,
            IsPrimaryKey = property.IsPrimaryKey(),
            IsNullable = property.IsNullable,
            HasTruthyDefault = truthyDefault || property.ValueGenerated == ValueGenerated.OnAdd,
            Specials = special is null ? [] : [special],
            Getter = CompileGetter(clr),
            NavigationGetter = navigation is null ? _ => null : CompileGetter(navigation),
            MaxLength = property.GetMaxLength(),
            OnDelete = foreignKey?.DeleteBehavior switch
            {
                DeleteBehavior.Cascade or DeleteBehavior.ClientCascade => DeleteRule.Cascade,
                DeleteBehavior.Restrict => DeleteRule.Restrict,
                _ => DeleteRule.SetNull,
            },
        };
    }

    private static FieldModel OneToMany(INavigation navigation, PropertyInfo clr) => new()
    {
        Name = DirectusNameOf(clr.Name),
        Kind = FieldKind.OneToMany,
        DirectusType = "alias",
        CollectionNavigation = clr,
        IsNullable = true,
        SortField = navigation.FindAnnotation(DirectusAnnotations.SortField)?.Value as string,
        Getter = CompileGetter(clr),
    };

    private static void Link(DirectusModel model, FieldModel field)
    {
        if (field.Kind == FieldKind.ManyToOne)
        {
            field.Related = model.ForType(field.Navigation!.PropertyType);
        }
        else if (field.Kind == FieldKind.OneToMany)
        {
            var childType = field.CollectionNavigation!.PropertyType.GetGenericArguments()[0];
            var child = model.ForType(childType);
            field.Related = child;
            field.ReverseField = child.Fields.First(f => f.Kind == FieldKind.ManyToOne && f.Navigation!.PropertyType == field.Collection.EntityType);
        }
    }

    private static string InferType(Type clr) => (Nullable.GetUnderlyingType(clr) ?? clr) switch
    {
        var t when t == typeof(Guid) => "uuid",
        var t when t == typeof(int) => "integer",
        var t when t == typeof(long) => "bigInteger",
        var t when t == typeof(double) || t == typeof(float) => "float",
        var t when t == typeof(decimal) => "decimal",
        var t when t == typeof(bool) => "boolean",
        var t when t == typeof(DateTime) || t == typeof(DateTimeOffset) => "timestamp",
        _ => "string",
    };

    private static string DirectusNameOf(string clrName) => ArtifactGraph.Data.ArtifactGraphDbContext.ToSnakeCase(clrName);

    /// <summary>
    /// <c>row => (object?)((T)row).Property</c>. A nullable value is boxed as its underlying value (or null) by hand:
    /// boxing a <c>Nullable&lt;T&gt;</c> goes through the runtime's slow allocation path (<c>Box_Nullable</c>), which
    /// took 6 % of the server's CPU on the benchmark queries, where every id and foreign key is a <c>Guid?</c>.
    /// </summary>
    private static Func<object, object?> CompileGetter(PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object));
        var value = Expression.Property(Expression.Convert(instance, property.DeclaringType!), property);
        Expression body;
        if (Nullable.GetUnderlyingType(property.PropertyType) is not null)
        {
            var local = Expression.Variable(property.PropertyType);
            body = Expression.Block(
                typeof(object),
                [local],
                Expression.Assign(local, value),
                Expression.Condition(
                    Expression.Property(local, nameof(Nullable<int>.HasValue)),
                    Expression.Convert(Expression.Call(local, property.PropertyType.GetMethod(nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)!), typeof(object)),
                    Expression.Constant(null, typeof(object))));
        }
        else
        {
            body = Expression.Convert(value, typeof(object));
        }

        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }
}

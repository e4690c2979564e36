using System.Text;
using ArtifactGraph.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace ArtifactGraph.Data;

/// <summary>The EF Core model of the Directus tables ArtifactGraph serves.</summary>
public sealed class ArtifactGraphDbContext(DbContextOptions<ArtifactGraphDbContext> options) : DbContext(options)
{
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectTask> Tasks => Set<ProjectTask>();
    public DbSet<ArtifactVersion> ArtifactVersions => Set<ArtifactVersion>();
    public DbSet<ArtifactFile> ArtifactFiles => Set<ArtifactFile>();
    public DbSet<TaskArtifact> TaskArtifacts => Set<TaskArtifact>();
    public DbSet<ArtifactApproval> ArtifactApprovals => Set<ArtifactApproval>();
    public DbSet<StoredFile> Files => Set<StoredFile>();
    public DbSet<Folder> Folders => Set<Folder>();
    public DbSet<User> Users => Set<User>();
    public DbSet<Role> Roles => Set<Role>();
    public DbSet<Policy> Policies => Set<Policy>();
    public DbSet<Access> Access => Set<Access>();
    public DbSet<Permission> Permissions => Set<Permission>();
    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();
    public DbSet<Revision> Revisions => Set<Revision>();

    // A pooled context keeps its options (and so its provider) for life: asked once.
    public bool IsSqlite => isSqlite ??= Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    private bool? isSqlite;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(ArtifactGraphDbContext).Assembly);
        JsonPathFunctions.Register(modelBuilder, IsSqlite, this.GetService<IRelationalTypeMappingSource>());
        ValueFunctions.Register(modelBuilder, IsSqlite, this.GetService<IRelationalTypeMappingSource>());

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(ToSnakeCase(property.Name));
                }
            }
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.ProviderName != "Microsoft.EntityFrameworkCore.Sqlite")
        {
            return;
        }

        // Directus stores uuids on SQLite as lowercase text; do the same so that
        // the database can be shared and text filters on ids behave as on PostgreSQL.
        configurationBuilder.Properties<Guid>().HaveConversion<LowercaseGuidConverter>();
    }

    public static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private sealed class LowercaseGuidConverter() : ValueConverter<Guid, string>(
        g => g.ToString("D"),
        s => Guid.Parse(s));
}

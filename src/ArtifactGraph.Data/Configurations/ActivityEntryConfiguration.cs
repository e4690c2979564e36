using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class ActivityEntryConfiguration : IEntityTypeConfiguration<ActivityEntry>
{
    public void Configure(EntityTypeBuilder<ActivityEntry> builder)
    {
        builder.IsDirectusCollection("directus_activity", order: 17, system: true).IsReadOnlyCollection();
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedOnAdd();
        builder.Property(x => x.Action).HasMaxLength(45);
        builder.Property(x => x.Timestamp).HasDefaultValueSql("CURRENT_TIMESTAMP").HasDirectusSpecial("date-created");
        builder.Property(x => x.Ip).HasMaxLength(50);
        builder.Property(x => x.UserAgent).HasDirectusType("text");
        builder.Property(x => x.Collection).HasMaxLength(64);
        builder.Property(x => x.Item).HasMaxLength(255);
        builder.Property(x => x.Origin).HasMaxLength(255);

        // Directus keeps no foreign key from activity to users (a deleted user's activity stays).
        builder.HasOne(x => x.UserRef).WithMany().HasForeignKey(x => x.User).OnDelete(DeleteBehavior.NoAction);
    }
}

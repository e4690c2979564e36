using ArtifactGraph.Data.Entities;
using ArtifactGraph.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ArtifactGraph.Data.Configurations;

public sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> builder)
    {
        builder.IsDirectusCollection("directus_files", order: 10, system: true);
        builder.HasKey(x => x.Id);
        builder.Property(x => x.Id).ValueGeneratedNever().HasDirectusSpecial("uuid");
        builder.Property(x => x.Storage).HasMaxLength(255);
        builder.Property(x => x.FilenameDisk).HasMaxLength(255);
        builder.Property(x => x.FilenameDownload).HasMaxLength(255);
        builder.Property(x => x.Title).HasMaxLength(255);
        builder.Property(x => x.Type).HasMaxLength(255);
        builder.Property(x => x.CreatedOn).HasDefaultValueSql("CURRENT_TIMESTAMP").HasDirectusSpecial("date-created");
        builder.Property(x => x.ModifiedOn).HasDefaultValueSql("CURRENT_TIMESTAMP").HasDirectusSpecial("date-updated");
        builder.Property(x => x.Charset).HasMaxLength(50);
        builder.Property(x => x.Embed).HasMaxLength(200);
        builder.Property(x => x.Description).HasDirectusType("text");
        builder.Property(x => x.Location).HasDirectusType("text");
        builder.Property(x => x.Tags).HasColumnType("text").HasDirectusType("json").HasDirectusSpecial("cast-json");
        builder.Property(x => x.Metadata).IsDirectusJson();
        builder.Property(x => x.TusId).HasMaxLength(64);
        builder.Property(x => x.TusData).IsDirectusJson();
        builder.Property(x => x.UploadedBy).HasDirectusSpecial("user-created");
        builder.Property(x => x.ModifiedBy).HasDirectusSpecial("user-updated");
        builder.HasOne(x => x.FolderRef).WithMany().HasForeignKey(x => x.Folder).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(x => x.UploadedByUser).WithMany().HasForeignKey(x => x.UploadedBy).OnDelete(DeleteBehavior.NoAction);
        builder.HasOne(x => x.ModifiedByUser).WithMany().HasForeignKey(x => x.ModifiedBy).OnDelete(DeleteBehavior.NoAction);
    }
}

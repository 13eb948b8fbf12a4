using System.ComponentModel.DataAnnotations;

namespace Parley.Storage;

/// <summary>Parley:DataDir (also <c>--data</c>): where the database and media live.</summary>
public sealed class DataDirectoryOptions
{
    [Required]
    public string DataDir { get; set; } = "data";
}

using System.Text.Json.Serialization;
using Parley.Core.Media;

namespace Parley.Storage.LocalFiles;

/// <summary>The record file of a resumable upload.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ResumableUpload))]
internal sealed partial class UploadJsonContext : JsonSerializerContext;

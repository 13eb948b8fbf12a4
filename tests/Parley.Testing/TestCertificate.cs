using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Testing;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as a PFX file for Kestrel's HTTPS.</summary>
public sealed class TestCertificate : IDisposable
{
    private TestCertificate(string path, string password) => (PfxPath, Password) = (path, password);

    public string PfxPath { get; }

    public string Password { get; }

    /// <summary>The server arguments that make it listen on HTTPS at a free port with this certificate.</summary>
    public IReadOnlyList<string> ServerArguments =>
        ["--urls", "https://127.0.0.1:0", $"--Kestrel:Certificates:Default:Path={PfxPath}", $"--Kestrel:Certificates:Default:Password={Password}"];

    public static TestCertificate Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=parley-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var path = Path.Combine(Path.GetTempPath(), $"parley-test-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return new TestCertificate(path, password);
    }

    public void Dispose() => File.Delete(PfxPath);
}

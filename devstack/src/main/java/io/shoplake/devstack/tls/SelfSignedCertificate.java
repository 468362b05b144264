package io.shoplake.devstack.tls;

import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.process.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The secure mode's one server certificate, for 127.0.0.1 and localhost, made at start with the
 * JDK's keytool (never committed): a PKCS12 key store for the JVM servers (Kafka), and PEM files
 * for the others (Redis) and for every client to trust. The key store's password is new at each
 * start and reaches keytool through its environment, not its command line.
 */
public final class SelfSignedCertificate {
    private static final String ENV_PASSWORD = "SHOPLAKE_DEVSTACK_KEYSTORE_PASSWORD";

    private final Path keystore;
    private final Path certificate;
    private final Path privateKey;
    private final String keystorePassword = Ports.secret(24);

    private SelfSignedCertificate(Path dir) {
        this.keystore = dir.resolve("server.p12");
        this.certificate = dir.resolve("server-cert.pem");
        this.privateKey = dir.resolve("server-key.pem");
    }

    public static SelfSignedCertificate create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        SelfSignedCertificate made = new SelfSignedCertificate(dir);
        made.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", made.keystore.toString(), "-storepass:env", ENV_PASSWORD);
        made.keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", made.keystore.toString(),
                "-storepass:env", ENV_PASSWORD, "-file", made.certificate.toString());
        made.writePrivateKeyPem();
        return made;
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        builder.environment().put(ENV_PASSWORD, keystorePassword);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }

    /** keytool writes no private key out; PKCS#8 in PEM is its encoded form in Base64. */
    private void writePrivateKeyPem() throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, keystorePassword.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey("server", keystorePassword.toCharArray());
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            Files2.writePrivateAtomically(privateKey, pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read back the key keytool made in " + keystore, e);
        }
    }

    public Path keystore() {
        return keystore;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    /** The certificate in PEM: what clients trust. */
    public Path certificate() {
        return certificate;
    }

    /** The private key in PEM (PKCS#8, owner-only). */
    public Path privateKey() {
        return privateKey;
    }
}

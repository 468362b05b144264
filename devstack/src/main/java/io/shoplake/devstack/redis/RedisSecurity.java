package io.shoplake.devstack.redis;

import io.shoplake.devstack.process.Files2;
import io.shoplake.devstack.process.Ports;
import io.shoplake.devstack.tls.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The devstack Redis's secure mode: TLS only (the secure mode's certificate), the default user
 * off, one ACL user for every client. Its password is new at each start and is written nowhere in
 * clear: the ACL file holds its SHA-256, as Redis allows.
 */
public final class RedisSecurity {
    public static final String USER = "shoplake";

    private final SelfSignedCertificate certificate;
    private final String password = Ports.secret(24);

    public RedisSecurity(SelfSignedCertificate certificate) {
        this.certificate = certificate;
    }

    /** What redis-server is started with, instead of a plain port. */
    List<String> serverArguments(int port, Path aclFile) throws IOException {
        Files2.writePrivateAtomically(aclFile, "user default off\nuser " + USER + " on #" + sha256(password)
                + " ~* &* +@all\n");
        String cert = certificate.certificate().toString();
        return List.of("--port", "0", "--tls-port", Integer.toString(port), "--tls-cert-file", cert,
                "--tls-key-file", certificate.privateKey().toString(), "--tls-ca-cert-file", cert,
                "--tls-auth-clients", "no", "--aclfile", aclFile.toString());
    }

    public RedisAccess access(String host, int port) {
        return new RedisAccess(host, port, USER, password, true, certificate.certificate().toString());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

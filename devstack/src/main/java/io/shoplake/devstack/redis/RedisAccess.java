package io.shoplake.devstack.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to reach the devstack's Redis: plain, or (secure mode) over TLS trusting {@code
 * truststore} (a PEM certificate) as an ACL {@code user} with {@code password}. The pipelines
 * read the same from {@code shoplake.redis.*}.
 */
public record RedisAccess(String host, int port, String user, String password, boolean tls, String truststore) {

    public static RedisAccess plaintext(String host, int port) {
        return new RedisAccess(host, port, null, null, false, "");
    }

    /** A raw RESP PING (after AUTH in secure mode), so that status needs no Redis client library. */
    public boolean ping() {
        try (Socket s = open()) {
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (user != null) {
                out.write(command("AUTH", user, password));
                out.flush();
                if (!reply(in).startsWith("+OK")) return false;
            }
            out.write(command("PING"));
            out.flush();
            return reply(in).startsWith("+PONG");
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private Socket open() throws IOException, GeneralSecurityException {
        if (!tls) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(host, port), 1000);
            return s;
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(Path.of(truststore))) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
                trusted.setCertificateEntry("trusted-" + i++, c);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
        SSLParameters verifyHost = s.getSSLParameters();
        verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
        s.setSSLParameters(verifyHost);
        s.connect(new InetSocketAddress(host, port), 1000);
        s.startHandshake();
        return s;
    }

    private static byte[] command(String... parts) {
        StringBuilder resp = new StringBuilder("*" + parts.length + "\r\n");
        for (String part : parts) {
            resp.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String reply(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) line.append((char) b);
        return line.toString();
    }

    /** Never the password. */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "") + host + ":" + port + (user == null ? "" : " as " + user);
    }
}

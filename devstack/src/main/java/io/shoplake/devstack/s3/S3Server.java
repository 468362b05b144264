package io.shoplake.devstack.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * S3Proxy in-process over a plain directory, so the demo warehouse is ordinary files under the
 * state dir and outlives a restart of {@code up} until {@code down}.
 */
public final class S3Server {

    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    public static final String REGION = "us-east-1";
    public static final String BUCKET = "shoplake";

    private final BlobStore store;
    private final int port;
    private final String accessKey;
    private final String secretKey;
    private S3Proxy proxy;

    public S3Server(Path baseDir, int port, String accessKey, String secretKey) throws Exception {
        Files.createDirectories(baseDir);
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
        this.store = BlobStores.create("filesystem", props);
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.proxy = proxy();
    }

    private S3Proxy proxy() {
        return S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create(endpoint(port)))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
    }

    public static String endpoint(int port) {
        return "http://127.0.0.1:" + port;
    }

    public synchronized void start() throws Exception {
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(20);
        }
        if (!store.containerExists(BUCKET)) {
            store.createContainer(BUCKET);
        }
        LOG.info("S3Proxy on {} with bucket {}", endpoint(port), BUCKET);
    }

    /** Stops listening for {@code down} (connections are refused) and listens again on the same port and data. */
    public void refuseFor(java.time.Duration down) throws Exception {
        synchronized (this) {
            proxy.stop();
        }
        Thread.sleep(down.toMillis());
        synchronized (this) {
            proxy = proxy();
            start();
        }
    }

    public synchronized void stop() throws Exception {
        proxy.stop();
        store.close();
    }
}

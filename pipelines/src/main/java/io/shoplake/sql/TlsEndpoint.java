package io.shoplake.sql;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.connect.config.Connect$;
import org.apache.spark.sql.connect.service.PreSharedKeyAuthenticationInterceptor;
import org.apache.spark.sql.connect.service.SparkConnectInterceptorRegistry$;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.connect.service.SparkConnectService$;
import org.sparkproject.connect.grpc.Server;
import org.sparkproject.connect.grpc.netty.NettyServerBuilder;

/**
 * Spark 4.2's Connect server speaks plaintext gRPC only. With a certificate, the server Spark
 * started (on a loopback port nobody is told) is replaced by one that serves the same Connect
 * service over TLS on the requested address, with the same token check and interceptors, and
 * registered where Spark's stop finds it.
 */
final class TlsEndpoint {
  private TlsEndpoint() {}

  static void replaceSparks(String host, int port, SqlServerSettings settings) throws IOException {
    SparkConnectService$ connect = SparkConnectService$.MODULE$;
    Server plaintext = connect.server();
    int maxInbound = ((Number) SparkEnv.get().conf().get(Connect$.MODULE$.CONNECT_GRPC_MAX_INBOUND_MESSAGE_SIZE()))
        .intValue();
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
        .useTransportSecurity(settings.tlsCertificate().orElseThrow().toFile(),
            settings.tlsPrivateKey().orElseThrow().toFile())
        .maxInboundMessageSize(maxInbound);
    builder.addService(new SparkConnectService(false));
    settings.token().ifPresent(token -> builder.intercept(new PreSharedKeyAuthenticationInterceptor(token)));
    SparkConnectInterceptorRegistry$.MODULE$.chainInterceptors(builder);
    Server tls = builder.build().start();
    connect.server_$eq(tls);
    connect.bindingAddress_$eq(new InetSocketAddress(host, tls.getPort()));
    plaintext.shutdownNow();
  }
}

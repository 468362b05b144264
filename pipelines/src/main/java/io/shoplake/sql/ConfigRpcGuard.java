package io.shoplake.sql;

import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ConfigResponse;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.sparkproject.connect.grpc.ForwardingServerCall;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;

/**
 * Keeps the server's secrets out of Spark Connect's config RPC ({@code spark.conf.get/getAll/set}
 * in a client): every value it returns for a secret's name is redacted, and a client may not set
 * or unset a protected setting ({@link SecretConfigs}). Registered through
 * {@code spark.connect.grpc.interceptor.classes}, which wants a public no-argument constructor.
 */
public final class ConfigRpcGuard implements ServerInterceptor {
  private static final String CONFIG = SparkConnectServiceGrpc.getConfigMethod().getFullMethodName();

  private final SecretConfigs secrets;

  public ConfigRpcGuard() {
    this(SecretConfigs.of(SparkEnv.get().conf()));
  }

  ConfigRpcGuard(SecretConfigs secrets) {
    this.secrets = secrets;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().equals(CONFIG)) return next.startCall(call, headers);
    ServerCall<Q, R> redacting = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      @SuppressWarnings("unchecked")
      public void sendMessage(R message) {
        super.sendMessage((R) redact((ConfigResponse) message));
      }
    };
    return new RefusingListener<>(next.startCall(redacting, headers), call,
        request -> changedProtectedKey((ConfigRequest) request).map(key -> "shoplake sql-server: " + key
            + " cannot be set or unset by a client (it holds or guards a secret)"));
  }

  ConfigResponse redact(ConfigResponse response) {
    ConfigResponse.Builder redacted = response.toBuilder().clearPairs();
    for (KeyValue pair : response.getPairsList()) {
      redacted.addPairs(pair.hasValue() && secrets.isSecret(pair.getKey())
          ? pair.toBuilder().setValue(SecretConfigs.REDACTED).build() : pair);
    }
    return redacted.build();
  }

  Optional<String> changedProtectedKey(ConfigRequest request) {
    ConfigRequest.Operation op = request.getOperation();
    List<String> keys = switch (op.getOpTypeCase()) {
      case SET -> op.getSet().getPairsList().stream().map(KeyValue::getKey).toList();
      case UNSET -> op.getUnset().getKeysList();
      default -> List.of();
    };
    return keys.stream().filter(secrets::isProtected).findFirst();
  }
}

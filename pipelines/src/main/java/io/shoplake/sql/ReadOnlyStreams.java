package io.shoplake.sql;

import io.shoplake.quality.PipelineMetrics;
import java.util.Optional;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;

/**
 * The read-only rule for what {@link ReadOnlyExtension} cannot see: a streaming query
 * ({@code writeStream...start()} or {@code toTable}) is no command plan, it starts a sink that
 * writes for as long as it runs. Refused at the Connect request, before Spark plans it.
 */
public final class ReadOnlyStreams implements ServerInterceptor {
  private static final String EXECUTE = SparkConnectServiceGrpc.getExecutePlanMethod().getFullMethodName();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().equals(EXECUTE)) return next.startCall(call, headers);
    return new ConfigRpcGuard.Refusing<>(next.startCall(call, headers), call,
        request -> refusal((ExecutePlanRequest) request));
  }

  static Optional<String> refusal(ExecutePlanRequest request) {
    if (!request.getPlan().getCommand().hasWriteStreamOperationStart()) return Optional.empty();
    PipelineMetrics.get().refusedPlan("WriteStreamOperationStart");
    return Optional.of("shoplake sql-server is read-only: streaming queries (writeStream...start, toTable) are"
        + " refused (start it with --read-write to run them)");
  }
}

package io.shoplake.sql;

import io.shoplake.quality.PipelineMetrics;
import java.util.Optional;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;

/**
 * The read-only rule for the Connect requests that write without a command plan that
 * {@link ReadOnlyExtension} could see: a streaming query ({@code writeStream...start()},
 * {@code toTable}) starts a sink that writes for as long as it runs; a declarative pipeline
 * creates and fills tables; an ML save writes files wherever its path says; an external
 * command runs on another system. Refused at the request, before Spark plans it.
 */
public final class ReadOnlyRequests implements ServerInterceptor {
  private static final String EXECUTE = SparkConnectServiceGrpc.getExecutePlanMethod().getFullMethodName();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    if (!call.getMethodDescriptor().getFullMethodName().equals(EXECUTE)) return next.startCall(call, headers);
    return new RefusingListener<>(next.startCall(call, headers), call,
        request -> refusal((ExecutePlanRequest) request));
  }

  static Optional<String> refusal(ExecutePlanRequest request) {
    Command command = request.getPlan().getCommand();
    String what = command.hasWriteStreamOperationStart() ? "streaming queries (writeStream...start, toTable) are"
        : command.hasPipelineCommand() ? "declarative pipelines are"
        : command.hasMlCommand() && command.getMlCommand().hasWrite() ? "saving ML models is"
        : command.hasExecuteExternalCommand() ? "commands on external data sources are"
        : null;
    if (what == null) return Optional.empty();
    PipelineMetrics.get().refusedPlan(command.getCommandTypeCase().name());
    return Optional.of("shoplake sql-server is read-only: " + what + " refused (start it with --read-write to run them)");
  }
}

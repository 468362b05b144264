package io.shoplake.sql;

import java.util.Optional;
import java.util.function.Function;
import org.sparkproject.connect.grpc.ForwardingServerCallListener;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.Status;

/**
 * Passes a call's request on unless {@code refusal} names a reason, in which case the call ends
 * with PERMISSION_DENIED and the service never sees it.
 */
final class RefusingListener<Q, R> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
  private final ServerCall<Q, R> call;
  private final Function<Q, Optional<String>> refusal;
  private boolean refused;

  RefusingListener(ServerCall.Listener<Q> delegate, ServerCall<Q, R> call, Function<Q, Optional<String>> refusal) {
    super(delegate);
    this.call = call;
    this.refusal = refusal;
  }

  @Override
  public void onMessage(Q message) {
    if (refused) return;
    Optional<String> reason = refusal.apply(message);
    if (reason.isPresent()) {
      refused = true;
      call.close(Status.PERMISSION_DENIED.withDescription(reason.get()), new Metadata());
      return;
    }
    super.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    if (!refused) super.onHalfClose();
  }
}

package io.shoplake.models.evaluation;

import java.util.List;
import java.util.Map;

/** Whatever ranks items for users: a trained model, or a baseline. */
public interface CandidateSource {
  /** Up to {@code n} scored items per user (items the user already has may be among them). */
  Map<Integer, List<Scored>> candidates(List<Integer> users, int n);
}

package aim.meetings;

/** The body of {@code POST /api/meetings/{id}/decisions}: the decision in words, optionally against a problem. */
public record DecisionRequest(String text, Long problemId) {
}

package aim.problems;

import aim.core.DomainException;

import java.util.List;

/**
 * The OSARA stages a problem is worked through: objective, scanning, analysis, response, assessment,
 * then closed. A problem moves forward exactly one stage at a time, or back to any earlier stage.
 */
public final class ProblemStages {
    public static final List<String> STAGES = List.of("objective", "scanning", "analysis", "response", "assessment", "closed");
    public static final String CLOSED = "closed";

    private ProblemStages() {
    }

    /** Refuses a move that skips a stage forward (409 naming {@code stage} and the allowed next stage). */
    public static void checkMove(String from, String to) {
        int a = STAGES.indexOf(from);
        int b = STAGES.indexOf(to);
        if (b <= a || b == a + 1) return;
        String next = a + 1 < STAGES.size() ? STAGES.get(a + 1) : null;
        throw DomainException.conflict("stage", "a problem at stage '" + from + "' can move on only to '" + next
                + "' (or back to an earlier stage), not to '" + to + "'");
    }
}

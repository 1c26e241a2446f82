package aim.incidents;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the time of one incident import went, step by step (seconds of wall-clock time), for
 * {@code ./aim bench incident-import}. The Java steps are timed in Java; the database steps are
 * timed by {@code incident_insert_rows} itself (migrations/V11__incident_partitions.sql). Not thread-safe:
 * one per import.
 */
public final class IncidentImportTimings {
    /** One step and the seconds it took. */
    public record Step(String name, double seconds) {
    }

    private final List<Step> steps = new ArrayList<>();

    void add(String name, double seconds) {
        steps.add(new Step(name, seconds));
    }

    /** Adds the seconds since {@code startNanos} (a {@link System#nanoTime()}) as a step; returns the time now. */
    long since(String name, long startNanos) {
        long now = System.nanoTime();
        add(name, (now - startNanos) / 1e9);
        return now;
    }

    public List<Step> steps() {
        return Collections.unmodifiableList(steps);
    }
}

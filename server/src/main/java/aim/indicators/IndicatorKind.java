package aim.indicators;

import aim.core.DomainException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What an indicator's values are: {@code computed} from AIM's incidents (a count, with a rate per 1,000),
 * or imported: a {@code survey} percentage (0–100) with its sample size n, a {@code count} from another
 * agency (a whole number; AIM computes the rate per 1,000), or a {@code score} (any number, e.g. an index).
 */
public enum IndicatorKind {
    COMPUTED, SURVEY, COUNT, SCORE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether values are counts of events (summed over areas and periods, tested as Poisson counts). */
    public boolean isCount() {
        return this == COMPUTED || this == COUNT;
    }

    /** The kinds a file may import (survey, count, score); anything else is a problem naming {@code field}. */
    public static IndicatorKind importable(String value, String field) {
        List<String> allowed = List.of("survey", "count", "score");
        if (value == null || value.isBlank()) throw DomainException.invalid(field, field + " is required: one of " + String.join(", ", allowed));
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw DomainException.invalid(field, "unknown " + field + " '" + value + "': expected one of " + String.join(", ", allowed));
        }
        return valueOf(v.toUpperCase(Locale.ROOT));
    }

    static IndicatorKind of(String id) {
        return Arrays.stream(values()).filter(k -> k.id().equals(id)).findFirst().orElseThrow();
    }
}

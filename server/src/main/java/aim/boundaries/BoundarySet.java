package aim.boundaries;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One version of one level of boundaries, e.g. the 2013 ONS wards or the demo neighbourhoods.
 * {@code basedOn} is the ward version a neighbourhood set groups; {@code current} says whether this is
 * the set a query without a version gets today.
 */
public record BoundarySet(
        long id,
        BoundaryLevel level,
        String version,
        LocalDate validFrom,
        LocalDate validTo,
        String basedOn,
        boolean demo,
        String attribution,
        String source,
        int featureCount,
        boolean current,
        Instant changedAt) {
}

package aim.incidents;

import java.time.LocalDate;
import java.util.List;

/**
 * A validated incident filter. {@code bbox} is WGS84 (minLon, minLat, maxLon, maxLat); dates are
 * inclusive calendar dates applied by {@link OccurredWindow} (a police.uk row counts when its whole
 * month lies in the window); {@code afterId} is the paging cursor.
 */
public record IncidentQuery(
        double[] bbox,
        LocalDate from,
        LocalDate to,
        List<String> categories,
        List<String> sources,
        List<String> statuses,
        String ward,
        String neighbourhood,
        String boundaryVersion,
        long afterId,
        int limit) {
}

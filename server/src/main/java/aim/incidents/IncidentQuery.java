package aim.incidents;

import java.time.LocalDate;
import java.util.List;

/**
 * A validated incident filter. {@code bbox} is WGS84 (minLon, minLat, maxLon, maxLat); dates are
 * inclusive calendar dates (an incident counts by the start of its precision period, so a police.uk
 * row counts in the window when its month starts inside it); {@code afterId} is the paging cursor.
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

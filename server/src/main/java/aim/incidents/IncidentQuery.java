package aim.incidents;

import java.time.LocalDate;
import java.util.List;

/**
 * A validated incident filter. {@code bbox} is WGS84 (minLon, minLat, maxLon, maxLat); dates are
 * inclusive calendar dates applied by {@link OccurredWindow} (a police.uk row counts when its whole
 * month lies in the window); {@code cursorId} is the paging cursor: with {@code newestFirst} the
 * page holds incidents with smaller ids, otherwise larger ones (0 = from the start); {@code afterId}
 * keeps only incidents with a larger id (to fetch what is new since the last look).
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
        long cursorId,
        boolean newestFirst,
        long afterId,
        int limit) {
}

package aim.incidents;

import java.util.List;

/**
 * A validated page request of the incident list. {@code filter} holds the dates (inclusive calendar
 * dates applied by {@link OccurredWindow}: a police.uk row counts when its whole month lies in the
 * window), categories, sources and the caller, with no study area; {@code bbox} is WGS84 (minLon,
 * minLat, maxLon, maxLat); {@code cursorId} is the paging cursor: with {@code newestFirst} the
 * page holds incidents with smaller ids, otherwise larger ones (0 = from the start); {@code afterId}
 * keeps only incidents with a larger id (to fetch what is new since the last look).
 */
public record IncidentQuery(
        double[] bbox,
        IncidentFilter filter,
        List<String> statuses,
        String ward,
        String neighbourhood,
        String boundaryVersion,
        long cursorId,
        boolean newestFirst,
        long afterId,
        int limit) {
}

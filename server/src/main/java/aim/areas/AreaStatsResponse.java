package aim.areas;

import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundarySet;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code GET /api/areas/stats}: {@code meta} (what was counted, how, and the
 * explanatory notes a reader of the table needs) and {@code areas} (the ranked rows).
 */
@JsonPropertyOrder({"meta", "areas"})
public record AreaStatsResponse(Map<String, Object> meta, List<AreaStatistics.Row> areas) {

    /** The response for statistics of {@code level} computed over {@code filter}. */
    public static AreaStatsResponse of(BoundaryLevel level, IncidentFilter filter, AreaStatisticsService.Stats stats) {
        AreaPeriods periods = stats.periods();
        BoundarySet set = stats.set(), wards = stats.wards();
        List<AreaStatistics.Row> rows = stats.rows();
        AreaStatisticsRepository.WardCounts counts = stats.counts();

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", level.id());
        meta.put("version", set.version());
        meta.put("wardVersion", wards.version());
        meta.put("demo", set.demo() || wards.demo());
        meta.put("area", filter.area().code() == null ? "borough" : filter.area().level().id() + ":" + filter.area().code());
        meta.put("from", periods.from());
        meta.put("to", periods.to());
        meta.put("days", periods.days());
        meta.put("previousFrom", periods.previousFrom());
        meta.put("previousTo", periods.previousTo());
        meta.put("previousDays", periods.previousDays());
        meta.put("wholeMonths", periods.wholeMonths());
        meta.put("categories", filter.categories());
        meta.put("sources", filter.sources());
        meta.put("count", rows.stream().mapToLong(AreaStatistics.Row::count).sum());
        meta.put("previousCount", rows.stream().mapToLong(r -> r.previous().count()).sum());
        meta.put("ratePer", AreaStatistics.RATE_PER);
        meta.put("rankedAmong", stats.rankedAmong());
        meta.put("changeTest", PoissonChange.TEST_NAME);
        meta.put("alpha", PoissonChange.ALPHA);
        Map<String, Object> areaOnly = new LinkedHashMap<>();
        areaOnly.put("counted", pair(counts.areaOnlyCounted()));
        areaOnly.put("outside", pair(counts.outside()));
        areaOnly.put("note", "area-only incidents (no point): counted in the ward holding their LSOA's point-on-surface"
                + " or in the ward whose code they give; outside: their LSOA lies outside every ward");
        meta.put("areaOnly", areaOnly);
        Map<String, Object> redaction = Redaction.note(filter.viewer());
        if (redaction != null) meta.put("redaction", redaction);
        Map<String, Object> unlocated = pair(counts.unlocated());
        unlocated.put("note", "area-only incidents whose area code is neither an LSOA of a loaded LSOA boundary set"
                + " nor a ward of this version (e.g. no LSOA set is loaded); they are in no area's count");
        meta.put("unlocated", unlocated);
        meta.put("notes", List.of(
                "Incidents with a point count in the ward containing it (a point on an edge: the ward with the lowest code).",
                "Area-only incidents count in the ward containing their LSOA's point-on-surface, or in the ward whose code they give.",
                "Month-precise (police.uk) incidents count only when their whole month lies in the period.",
                "Rates are per 1,000 residents of the latest population year, the same for both periods; an area without"
                        + " a population has no rate (rateNote \"no population\") and no rank.",
                "rank: 1 is the highest rate among all areas of the level; equal rates share a rank."));
        return new AreaStatsResponse(meta, rows);
    }

    private static Map<String, Object> pair(AreaStatisticsRepository.Pair p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", p.current());
        m.put("previousCount", p.previous());
        return m;
    }
}

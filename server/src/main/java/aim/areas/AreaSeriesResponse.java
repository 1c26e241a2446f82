package aim.areas;

import aim.boundaries.BoundarySet;
import aim.incidents.IncidentFilter;
import aim.incidents.Redaction;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON body of {@code GET /api/areas/{level}/{code}/series}: {@code meta} (the area, the window,
 * the cell if any, the total and how month-precise incidents count), {@code periods} and
 * {@code topCategories}, and {@code topGroups}: the same counts with the categories of a taxonomy group as one
 * entry and its parts inside (police.uk "Anti-social behaviour" with the council's "ASB: …", see CategoryGroups).
 * The cell's bbox is EPSG:27700 metres.
 */
@JsonPropertyOrder({"meta", "periods", "topCategories", "topGroups"})
public record AreaSeriesResponse(Map<String, Object> meta, List<TimeSeries.Period> periods,
                                 List<AreaStatisticsService.TopCategory> topCategories, List<CategoryGroups.Entry> topGroups) {

    /** The response for {@code series} of {@code area} over {@code filter}'s window (both ends given). */
    public static AreaSeriesResponse of(AreaStatisticsService.SeriesArea area, BoundarySet wards, SeriesInterval interval,
                                        IncidentFilter filter, AreaGridCell cell, AreaStatisticsService.Series series) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("level", area.level());
        meta.put("code", area.code());
        meta.put("name", area.name());
        meta.put("version", area.version());
        meta.put("wardVersion", wards.version());
        meta.put("demo", wards.demo());
        meta.put("interval", interval.id());
        meta.put("from", filter.from());
        meta.put("to", filter.to());
        meta.put("categories", filter.categories());
        meta.put("sources", filter.sources());
        if (cell != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("i", cell.i());
            c.put("j", cell.j());
            c.put("size", cell.size());
            c.put("bbox", List.of(cell.minX(), cell.minY(), cell.maxX(), cell.maxY()));
            c.put("crs", "EPSG:27700");
            meta.put("cell", c);
        }
        meta.put("count", series.count());
        Map<String, Object> redaction = Redaction.note(filter.viewer());
        if (redaction != null) meta.put("redaction", redaction);
        meta.put("precision", "month-precise (police.uk) incidents count in their month, and that month's quarter,"
                + " when the whole month is in the window; a partial period (clipped by from/to) leaves out"
                + " month-precise incidents of a clipped month");
        return new AreaSeriesResponse(meta, series.periods(), series.topCategories(), series.topGroups());
    }
}

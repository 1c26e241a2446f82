package aim.ogc;

import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.db.SqlFragment;
import aim.hotspots.FinancialQuarter;
import aim.hotspots.HotspotEngine;
import aim.hotspots.SquareGrid;
import aim.incidents.IncidentFilter;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;

/**
 * The {@code hotspots} collection's cells: Getis-Ord Gi* with false discovery rate correction on 250 m
 * British National Grid squares (the engine's default band), over the borough of the current wards, for
 * every incident of the last whole financial quarter before {@code today}, read through the caller's
 * redaction; the cells with incidents or a significant z score. Computed by {@link HotspotEngine} (whose
 * cells are bounded by its maximum cell count), then served like a table of cells.
 */
public record HotspotGrid(String quarter, LocalDate from, LocalDate to, SqlFragment polygon, Integer[] i, Integer[] j,
                          Long[] count, Double[] z, Double[] p, Integer[] bin) {
    /** Side of the cells, metres (EPSG:27700). */
    public static final int CELL_METRES = 250;

    /** The last financial quarter that ended before {@code today}. */
    public static FinancialQuarter quarter(LocalDate today) {
        return FinancialQuarter.of(today).previous();
    }

    public static HotspotGrid compute(HotspotEngine engine, BoundaryRepository boundaries, User caller, LocalDate today,
                                      ObjectMapper json) {
        FinancialQuarter q = quarter(today);
        var grid = new SquareGrid(CELL_METRES);
        var filter = new IncidentFilter(q.start(), q.end(), List.of(), List.of(), StudyArea.resolve(boundaries, null, null), caller);
        var request = new HotspotEngine.MapRequest("gistar", grid, null, null, false, 5, true, false, filter, null);
        var buffer = new ByteArrayOutputStream();
        JsonNode features;
        try (JsonGenerator out = json.getFactory().createGenerator(buffer)) {
            engine.map(request).write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            features = json.readTree(buffer.toByteArray()).path("features");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = features.size();
        Integer[] i = new Integer[n], j = new Integer[n], bin = new Integer[n];
        Long[] count = new Long[n];
        Double[] z = new Double[n], p = new Double[n];
        for (int k = 0; k < n; k++) {
            JsonNode f = features.get(k).path("properties");
            i[k] = f.path("i").asInt();
            j[k] = f.path("j").asInt();
            count[k] = f.path("count").asLong();
            z[k] = f.path("z").isNumber() ? f.path("z").asDouble() : null;
            p[k] = f.path("p").isNumber() ? f.path("p").asDouble() : null;
            bin[k] = f.path("bin").asInt();
        }
        return new HotspotGrid(q.label(), q.start(), q.end(), grid.cellPolygon("c.i", "c.j"), i, j, count, z, p, bin);
    }
}

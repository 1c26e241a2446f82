package aim.incidents;

import aim.accounts.User;
import aim.db.SqlFragment;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule for what a caller may see of an incident's place, used by every query that reads
 * incidents on a caller's behalf (lists, filters, hotspots, area statistics and series, asset gaps,
 * reports).
 *
 * <p><b>Which rows are generalised.</b> For a caller whose role does not see personal data (warden,
 * planner, viewer: {@link aim.accounts.Role#seesPersonalData()} false), every incident of a
 * sensitive category ({@code incident_category.sensitive}) that the caller did not record.
 * Admins and analysts, and a warden for the incidents they recorded, see the exact point.
 *
 * <p><b>The generalised geometry.</b> The centre of the {@value #SQUARE_METRES} m British National
 * Grid square (EPSG:27700, squares anchored at the grid's false origin) holding the true point;
 * the location text and the GPS accuracy are withheld ({@code null}) and the location precision is
 * {@code generalised}. Free text, reporter and assignee are withheld from rows the caller neither
 * may see personal data of nor recorded.
 *
 * <p><b>How it is enforced.</b> {@link #incidents} is the incident table as the caller may see it,
 * put in a query's FROM list in place of {@code incident i}: for a redacted caller a generalised row
 * <em>is</em> at its square's centre, so every filter (bbox, ward, neighbourhood, study area, cell)
 * and every aggregate (counts at any cell size, Gi*, KDE, trends, rates) sees only that point and
 * cannot tell more than the square. Area-only incidents (no point, an LSOA or ward code from the
 * source) are not changed.
 */
public final class Redaction {
    /** Side of the square sensitive locations are generalised to, in metres (EPSG:27700). */
    public static final int SQUARE_METRES = 500;

    private Redaction() {
    }

    /** Whether any row may be generalised for this caller (their role does not see personal data). */
    public static boolean applies(User caller) {
        return !caller.role().seesPersonalData();
    }

    /** Whether the caller sees this incident (sensitive or not, recorded by {@code recordedBy}) generalised. */
    public static boolean generalises(User caller, boolean sensitive, Long recordedBy) {
        return sensitive && applies(caller) && (recordedBy == null || recordedBy != caller.id());
    }

    /** SQL for the centre of the square holding the point expression {@code point} (EPSG:27700 in, EPSG:27700 out). */
    public static String squareCentre(String point) {
        return ("ST_SetSRID(ST_MakePoint(floor(ST_X(%1$s) / %2$d) * %2$d + %3$d, floor(ST_Y(%1$s) / %2$d) * %2$d + %3$d), 27700)")
                .formatted(point, SQUARE_METRES, SQUARE_METRES / 2);
    }

    /**
     * The incident table as {@code caller} may see it, aliased {@code i}, for a FROM list: every
     * column of {@code incident} under its own name, with {@code geom} the point the caller may see.
     * For a caller who sees personal data it is just {@code incident i}.
     *
     * <p>{@code near} are optional geometry expressions (EPSG:27700) that the query will require
     * {@code i.geom} to lie in (a bbox, a ward, a study area, a cell): they add an index prefilter
     * on the true point, {@code geom && ST_Expand(near, 500 m)}, which every row whose visible point
     * is in {@code near} passes (a point and its square's centre are at most 250 m apart along each
     * axis). The query itself must still test {@code i.geom}. Rows without a point never pass it.
     */
    public static SqlFragment incidents(User caller, SqlFragment... near) {
        if (!applies(caller)) return SqlFragment.of("incident i");
        List<Object> params = new ArrayList<>();
        params.add(caller.id());
        params.add(caller.id());
        StringBuilder where = new StringBuilder();
        for (SqlFragment n : near) {
            if (n == null || n.sql().isEmpty()) continue;
            where.append(where.length() == 0 ? " WHERE " : " AND ")
                    .append("x.geom && ST_Expand(").append(n.sql()).append(", ").append(SQUARE_METRES).append(")");
            params.addAll(n.params());
        }
        // flattened by the planner into the outer query (no aggregates, no volatile functions), so the
        // outer conditions still reach the indexes on id, occurred_at and category
        String sql = """
                (SELECT x.id, x.source, x.category, x.occurred_at, x.occurred_precision,
                        CASE WHEN r.generalised THEN %1$s ELSE x.geom END AS geom,
                        CASE WHEN r.generalised THEN 'generalised' ELSE x.location_precision END AS location_precision,
                        CASE WHEN r.generalised THEN NULL ELSE x.accuracy_m END AS accuracy_m,
                        CASE WHEN r.generalised THEN NULL ELSE x.location_text END AS location_text,
                        x.area_code, x.status, x.outcome,
                        CASE WHEN r.own THEN x.assigned_to END AS assigned_to,
                        CASE WHEN r.own THEN x.description END AS description,
                        CASE WHEN r.own THEN x.reporter_name END AS reporter_name,
                        CASE WHEN r.own THEN x.reporter_contact END AS reporter_contact,
                        x.fly_size, x.fly_waste_type, x.fly_land_type, x.recorded_by, x.recorded_at, x.updated_at, x.external_key
                 FROM incident x
                 JOIN incident_category xc ON xc.code = x.category
                 CROSS JOIN LATERAL (SELECT xc.sensitive AND x.recorded_by IS DISTINCT FROM ?::bigint AS generalised,
                                            coalesce(x.recorded_by = ?::bigint, false) AS own) r%2$s) i"""
                .formatted(squareCentre("x.geom"), where);
        return new SqlFragment(sql, params);
    }

    /**
     * What an aggregate response says about the rule in its {@code meta} ({@code redaction}), or null
     * when it does not apply to the caller.
     */
    public static Map<String, Object> note(User caller) {
        if (!applies(caller)) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generalised_metres", SQUARE_METRES);
        m.put("crs", "EPSG:27700");
        m.put("note", "sensitive categories are counted at the centre of their " + SQUARE_METRES
                + " m British National Grid square for the " + caller.role().id() + " role"
                + " (except incidents the caller recorded)");
        return m;
    }

    /** Writes {@link #note} as the member {@code redaction} of the object being written, when the rule applies. */
    public static void writeNote(User caller, JsonGenerator out) throws IOException {
        Map<String, Object> note = note(caller);
        if (note == null) return;
        out.writeObjectFieldStart("redaction");
        out.writeNumberField("generalised_metres", SQUARE_METRES);
        out.writeStringField("crs", (String) note.get("crs"));
        out.writeStringField("note", (String) note.get("note"));
        out.writeEndObject();
    }
}

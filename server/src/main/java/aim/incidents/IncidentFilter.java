package aim.incidents;

import aim.accounts.User;
import aim.boundaries.StudyArea;
import aim.db.SqlFragment;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which incidents a caller's question is about, and the one place that turns that into SQL: an
 * inclusive date window (see {@link OccurredWindow} for how month-precise police.uk rows count;
 * either end may be null), categories and sources (empty = all), a study area (null = anywhere, as
 * for the incident list, which narrows by bbox, ward and neighbourhood instead) and the caller
 * ({@code viewer}) the rows are read for. Used by the incident list, the hotspot engine, the area
 * statistics and series, and the asset gap analysis.
 *
 * <p>The rows always come from {@link #incidents}, the incident table as {@link Redaction} lets the
 * viewer see it (sensitive categories at the centre of their 500 m square for roles without
 * personal-data access), so every condition below and every aggregate over them tests the point the
 * viewer may see. All SQL is over the incident alias {@code i}; geometries are EPSG:27700.
 */
public record IncidentFilter(LocalDate from, LocalDate to, List<String> categories, List<String> sources, StudyArea area,
                             User viewer) {

    public IncidentFilter {
        Objects.requireNonNull(viewer, "the caller the incidents are read for");
        categories = categories == null ? List.of() : List.copyOf(categories);
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /**
     * Whether the caller sees every incident at its true point ({@link Redaction} does not apply) and asks for every
     * category and source: then the rollups' totals over every category and source ({@code cell_month_total},
     * {@code point_month_total}, {@code area_month_total}) hold exactly what this filter counts in whole months.
     */
    public boolean countsEveryIncidentExact() {
        return !Redaction.applies(viewer) && categories.isEmpty() && sources.isEmpty();
    }

    /** The same filter over another window (e.g. the previous equivalent period, or a test window). */
    public IncidentFilter during(LocalDate newFrom, LocalDate newTo) {
        return new IncidentFilter(newFrom, newTo, categories, sources, area, viewer);
    }

    /**
     * The incident table as the viewer may see it, alias {@code i}, for a FROM list; {@code near} are
     * the geometries (EPSG:27700) the query will require {@code i.geom} to lie in, for an index
     * prefilter ({@link Redaction#incidents}).
     */
    public SqlFragment incidents(SqlFragment... near) {
        return Redaction.incidents(viewer, near);
    }

    /**
     * The conditions for located incidents: a point, in the window (the exact {@link OccurredWindow}
     * rule), of the categories and sources, and inside every geometry of {@code within} (empty
     * fragments are skipped). The study area is not added here: callers pass its geometry in the form
     * their query plans best (a bound EWKB value, a subquery).
     */
    public SqlFragment located(SqlFragment... within) {
        List<SqlFragment> parts = new ArrayList<>();
        parts.add(SqlFragment.of("i.geom IS NOT NULL"));
        parts.add(window());
        parts.add(kinds());
        for (SqlFragment w : within) {
            if (w == null || w.sql().isEmpty()) continue;
            parts.add(new SqlFragment("ST_Intersects(i.geom, " + w.sql() + ")", w.params()));
        }
        return SqlFragment.and(parts);
    }

    /**
     * The conditions for area-only incidents (no point; an LSOA or ward code from the source), which
     * {@link Redaction} never changes: of the categories and sources, and within the {@link #span} of
     * the window; the exact window rule is left to the caller (e.g. per period).
     */
    public SqlFragment areaOnly() {
        return SqlFragment.and(List.of(SqlFragment.of("i.geom IS NULL"), span(), kinds()));
    }

    /** The exact window rule ({@link OccurredWindow}); empty when both ends are open. */
    public SqlFragment window() {
        return OccurredWindow.sql("i", from, to);
    }

    /**
     * Plain bounds on {@code i.occurred_at} that every incident of the window satisfies (from local
     * midnight of {@code from} to local midnight after {@code to}), so an index on it narrows the rows
     * before the exact rule is applied per period. Both ends must be given.
     */
    public SqlFragment span() {
        return OccurredWindow.bounds("i", from, to);
    }

    /** The category and source conditions (none when they are empty). */
    public SqlFragment kinds() {
        return SqlFragment.and(List.of(anyOf("i.category", categories), anyOf("i.source", sources)));
    }

    /** {@code column = ANY (values)}, or empty for no values. */
    public static SqlFragment anyOf(String column, List<String> values) {
        if (values == null || values.isEmpty()) return SqlFragment.EMPTY;
        return SqlFragment.of(column + " = ANY (?::text[])", (Object) values.toArray(String[]::new));
    }
}

package aim.hotspots;

import aim.accounts.User;
import aim.db.SqlFragment;
import aim.incidents.OccurredWindow;
import aim.incidents.Redaction;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which incidents an analysis counts: an inclusive date window (see {@link OccurredWindow} for how
 * month-precise police.uk rows count), categories and sources (empty = all), inside a study area.
 * Only incidents with a location take part in spatial methods. {@code viewer} is the caller the analysis
 * is for: it counts the incidents as {@link Redaction} lets that caller see them (sensitive categories
 * at the centre of their 500 m square for roles without personal-data access).
 */
public record HotspotFilter(LocalDate from, LocalDate to, List<String> categories, List<String> sources, StudyArea area,
                            User viewer) {

    public HotspotFilter {
        java.util.Objects.requireNonNull(viewer, "the caller an analysis is for");
    }

    /** The incident table as the viewer may see it, alias {@code i}, near {@code studyArea} (an EPSG:27700 geometry). */
    public SqlFragment incidents(SqlFragment studyArea) {
        return Redaction.incidents(viewer, studyArea);
    }

    /** SQL conditions on the incident alias {@code i}, including "inside the study area". */
    public SqlFragment where() {
        List<SqlFragment> parts = new ArrayList<>();
        parts.add(SqlFragment.of("i.geom IS NOT NULL"));
        parts.add(OccurredWindow.sql("i", from, to));
        if (!categories.isEmpty()) parts.add(SqlFragment.of("i.category = ANY (?::text[])", (Object) categories.toArray(String[]::new)));
        if (!sources.isEmpty()) parts.add(SqlFragment.of("i.source = ANY (?::text[])", (Object) sources.toArray(String[]::new)));
        SqlFragment area = area().geometry();
        parts.add(new SqlFragment("ST_Intersects(i.geom, " + area.sql() + ")", area.params()));
        return SqlFragment.and(parts);
    }

    /** The same filter over another window (e.g. the previous equivalent period). */
    public HotspotFilter during(LocalDate newFrom, LocalDate newTo) {
        return new HotspotFilter(newFrom, newTo, categories, sources, area, viewer);
    }
}

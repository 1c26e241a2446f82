package aim.hotspots;

import aim.db.SqlFragment;
import aim.incidents.OccurredWindow;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which incidents an analysis counts: an inclusive date window (see {@link OccurredWindow} for how
 * month-precise police.uk rows count), categories and sources (empty = all), inside a study area.
 * Only incidents with a location take part in spatial methods.
 */
public record HotspotFilter(LocalDate from, LocalDate to, List<String> categories, List<String> sources, StudyArea area) {

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
        return new HotspotFilter(newFrom, newTo, categories, sources, area);
    }
}

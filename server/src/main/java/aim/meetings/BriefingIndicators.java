package aim.meetings;

import aim.accounts.User;
import aim.boundaries.BoundaryLevel;
import aim.boundaries.BoundaryRepository;
import aim.boundaries.StudyArea;
import aim.hotspots.FinancialQuarter;
import aim.incidents.TaxonomyRepository;
import aim.indicators.Indicator;
import aim.indicators.IndicatorTable;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The briefing's indicators section: the council's locality table (police-reported and council/public-reported
 * incidents per neighbourhood, or per ward when the ward version has no neighbourhoods, over the four UK
 * financial-year quarters up to the last one complete at the window's end) and every indicator cell of the
 * last quarter that is off target (red), from the indicators domain's table as the caller may see it.
 */
public final class BriefingIndicators {
    static final int QUARTERS = 4;
    static final String POLICE = "incidents-police", PUBLIC = "incidents-public";

    private final IndicatorTable table;
    private final BoundaryRepository boundaries;
    private final TaxonomyRepository taxonomies;

    public BriefingIndicators(IndicatorTable table, BoundaryRepository boundaries, TaxonomyRepository taxonomies) {
        this.table = table;
        this.boundaries = boundaries;
        this.taxonomies = taxonomies;
    }

    /** The section as the JSON gives it (null when the indicators are not available). */
    public record Section(String level, List<String> quarters, List<Row> rows, List<OffTarget> offTarget, String note) {
    }

    /** One area: its police- and public-reported counts per quarter, and the last quarter's change tests. */
    public record Row(String code, String name, List<Long> police, List<Long> publicReported, Boolean policeSignificant,
               Boolean publicSignificant) {
    }

    public record OffTarget(String indicator, String name, String area, String areaName, Double value, Double rate, Double target,
                     String measure) {
    }

    Section section(LocalDate end, User caller) {
        FinancialQuarter last = FinancialQuarter.of(end);
        if (!last.end().equals(end)) last = last.previous(); // whole quarters only: the window's own is still running
        FinancialQuarter first = last;
        for (int k = 1; k < QUARTERS; k++) first = first.previous();
        StudyArea borough = StudyArea.resolve(boundaries, null, null);
        BoundaryLevel level = boundaries.neighbourhoodsOf(borough.wards()).isPresent() ? BoundaryLevel.NEIGHBOURHOOD : BoundaryLevel.WARD;
        IndicatorTable.Table t = table.build(level, borough, null, IndicatorTable.Interval.QUARTER, first.start(), last.end(),
                List.of(), caller, taxonomies.load());
        Map<String, IndicatorTable.Row> police = new HashMap<>();
        t.rows().stream().filter(r -> r.indicator().equals(POLICE)).forEach(r -> police.put(r.area().code(), r));
        List<Row> rows = new ArrayList<>();
        for (IndicatorTable.Row r : t.rows()) {
            if (!r.indicator().equals(PUBLIC)) continue;
            Optional<IndicatorTable.Row> p = Optional.ofNullable(police.get(r.area().code()));
            rows.add(new Row(r.area().code(), r.area().name(),
                    p.map(x -> x.cells().stream().map(c -> value(c)).toList()).orElse(List.of()),
                    r.cells().stream().map(BriefingIndicators::value).toList(),
                    p.map(x -> x.cells().get(x.cells().size() - 1).significant()).orElse(null),
                    r.cells().get(r.cells().size() - 1).significant()));
        }
        Map<String, Indicator> definitions = new HashMap<>();
        t.indicators().forEach(i -> definitions.put(i.code(), i));
        List<OffTarget> off = new ArrayList<>();
        for (IndicatorTable.Row r : t.rows()) {
            IndicatorTable.Cell c = r.cells().get(r.cells().size() - 1);
            if ("red".equals(c.rag())) {
                off.add(new OffTarget(r.indicator(), definitions.get(r.indicator()).name(), r.area().code(), r.area().name(), c.value(),
                        c.rate(), c.target(), c.targetMeasure()));
            }
        }
        return new Section(level.id(), t.periods().stream().map(IndicatorTable.Period::label).toList(), rows, off,
                "Police-reported: source police (police.uk); public-reported: council and public reports. Whole financial-year"
                        + " quarters up to " + last.label() + "; * a significant change from the quarter before (exact Poisson test, p < 0.05).");
    }

    private static Long value(IndicatorTable.Cell c) {
        return c.value() == null ? null : Math.round(c.value());
    }

    /** The section as HTML (every text escaped), numbered {@code number}. */
    static void html(StringBuilder h, Section s, int number) {
        if (s == null) return;
        h.append("<section id=\"indicators\"><h2>").append(number).append(". Indicators: police-reported and public-reported incidents</h2>");
        h.append("<table><thead><tr><th rowspan=\"2\">").append(s.level().equals("ward") ? "Ward" : "Neighbourhood").append("</th>");
        for (String q : s.quarters()) h.append("<th colspan=\"2\">").append(BriefingHtml.escape(q)).append("</th>");
        h.append("</tr><tr>");
        for (int k = 0; k < s.quarters().size(); k++) h.append("<th class=\"n\">Police</th><th class=\"n\">Public</th>");
        h.append("</tr></thead><tbody>");
        for (Row r : s.rows()) {
            h.append("<tr><td>").append(BriefingHtml.escape(r.name())).append("</td>");
            for (int k = 0; k < s.quarters().size(); k++) {
                boolean lastQuarter = k == s.quarters().size() - 1;
                h.append("<td class=\"n\">").append(cell(r.police(), k)).append(lastQuarter && Boolean.TRUE.equals(r.policeSignificant()) ? " *" : "")
                        .append("</td><td class=\"n\">").append(cell(r.publicReported(), k))
                        .append(lastQuarter && Boolean.TRUE.equals(r.publicSignificant()) ? " *" : "").append("</td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table>");
        if (!s.offTarget().isEmpty()) {
            h.append("<p>Off target in ").append(BriefingHtml.escape(s.quarters().get(s.quarters().size() - 1))).append(":</p><ul>");
            for (OffTarget o : s.offTarget()) {
                Double shown = "rate".equals(o.measure()) ? o.rate() : o.value();
                h.append("<li>").append(BriefingHtml.escape(o.name() + ", " + o.areaName() + ": " + shown + " against a target of "
                        + o.target() + ("rate".equals(o.measure()) ? " per 1,000" : ""))).append("</li>");
            }
            h.append("</ul>");
        }
        h.append("<p class=\"note\">").append(BriefingHtml.escape(s.note())).append("</p></section>");
    }

    private static String cell(List<Long> values, int k) {
        return k < values.size() && values.get(k) != null ? String.valueOf(values.get(k)) : "-";
    }
}

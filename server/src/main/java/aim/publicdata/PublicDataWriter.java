package aim.publicdata;

import aim.csv.CsvText;
import aim.hotspots.HotspotRepository;
import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.Writer;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the public tables as JSON, GeoJSON (with top-level {@code licence} and {@code attribution}
 * members) and CSV (one row per area or cell, the licence and attribution in the last two columns of every
 * row, so a spreadsheet or any CSV reader opens it as one plain table). Every count is written as
 * {@link Suppression#published}: a number, or a text such as "&lt;5".
 */
public final class PublicDataWriter {
    private final Suppression suppression;
    private final int year;

    /** {@code year}: the year of publication, for the OS/ONS attribution. */
    public PublicDataWriter(Suppression suppression, int year) {
        this.suppression = suppression;
        this.year = year;
    }

    /** The area table as JSON, with the public categories for a page's choice. */
    public void areasJson(PublicCounts.AreaTable t, List<java.util.Map<String, String>> publicCategories, JsonGenerator o)
            throws IOException {
        o.writeStartObject();
        describe(t.set().level().id(), t.set().version(), t.query(), o);
        o.writeObjectField("categories", publicCategories);
        o.writeArrayFieldStart("areas");
        for (PublicCounts.AreaRow r : t.rows()) {
            o.writeStartObject();
            o.writeStringField("code", r.code());
            o.writeStringField("name", r.name());
            o.writeArrayFieldStart("counts");
            for (Suppression.Value v : r.months()) value(v, o);
            o.writeEndArray();
            o.writeFieldName("total");
            value(r.total(), o);
            o.writeEndObject();
        }
        o.writeEndArray();
        o.writeArrayFieldStart("monthTotals");
        for (Suppression.Value v : t.monthTotals()) value(v, o);
        o.writeEndArray();
        o.writeFieldName("total");
        value(t.total(), o);
        licence(o);
        o.writeEndObject();
    }

    /** The area table as a GeoJSON FeatureCollection of the areas' outlines (WGS84), a property per month and the total. */
    public void areasGeoJson(PublicCounts.AreaTable t, PublicAreaShapes shapes, JsonGenerator o) throws IOException {
        java.util.Map<String, PublicCounts.AreaRow> rows = new java.util.HashMap<>();
        for (PublicCounts.AreaRow r : t.rows()) rows.put(r.code(), r);
        List<YearMonth> months = t.query().months();
        o.writeStartObject();
        o.writeStringField("type", "FeatureCollection");
        o.writeArrayFieldStart("features");
        shapes.each(t.set(), (code, geometry) -> {
            PublicCounts.AreaRow r = rows.get(code);
            if (r == null) return;
            o.writeStartObject();
            o.writeStringField("type", "Feature");
            o.writeFieldName("geometry");
            o.writeRawValue(geometry);
            o.writeObjectFieldStart("properties");
            o.writeStringField("code", r.code());
            o.writeStringField("name", r.name());
            o.writeStringField("category", t.query().categoryCode());
            o.writeFieldName("total");
            value(r.total(), o);
            for (int k = 0; k < months.size(); k++) {
                o.writeFieldName(months.get(k).toString());
                value(r.months().get(k), o);
            }
            o.writeEndObject();
            o.writeEndObject();
        });
        o.writeEndArray();
        o.writeObjectFieldStart("meta");
        describe(t.set().level().id(), t.set().version(), t.query(), o);
        o.writeEndObject();
        licence(o);
        o.writeEndObject();
    }

    /** The area table as CSV: level, code, name, category, one column per month, total, licence, attribution; then the borough row. */
    public void areasCsv(PublicCounts.AreaTable t, Writer out) throws IOException {
        List<String> header = new ArrayList<>(List.of("level", "area_code", "area_name", "category"));
        t.query().months().forEach(m -> header.add(m.toString()));
        header.addAll(List.of("total", "licence", "attribution"));
        String level = t.set().level().id();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header.toArray(String[]::new)).build())) {
            for (PublicCounts.AreaRow r : t.rows()) csvRow(csv, level, r.code(), r.name(), t.query(), r.months(), r.total());
            csvRow(csv, "borough", "", "All areas", t.query(), t.monthTotals(), t.total());
        }
    }

    private void csvRow(CSVPrinter csv, String level, String code, String name, PublicCounts.Query q, List<Suppression.Value> months,
                        Suppression.Value total) throws IOException {
        List<Object> row = new ArrayList<>(List.of(level, CsvText.safe(code), CsvText.safe(name), q.categoryCode()));
        for (Suppression.Value v : months) row.add(CsvText.cell(suppression.published(v)));
        row.add(CsvText.cell(suppression.published(total)));
        row.add(CsvText.safe(OpenDataLicence.licence()));
        row.add(CsvText.safe(String.join(" | ", OpenDataLicence.attributions(year))));
        csv.printRecord(row);
    }

    /** The grid as GeoJSON: one feature per cell holding incidents (its square in WGS84), its count over the window. */
    public void gridGeoJson(PublicCounts.GridTable g, HotspotRepository cells, JsonGenerator o) throws IOException {
        int n = g.cells().size();
        int[] is = new int[n], js = new int[n];
        for (int k = 0; k < n; k++) {
            is[k] = g.cells().get(k).i();
            js[k] = g.cells().get(k).j();
        }
        cells.writeCells(g.grid(), is, js, (k, out) -> {
            PublicCounts.Cell c = g.cells().get(k);
            out.writeStringField("cell", cellId(g.grid(), c));
            out.writeFieldName("count");
            value(c.value(), out);
        }, out -> {
            describe("grid", null, g.query(), out);
            out.writeNumberField("cellMetres", Math.round(g.grid().size()));
        }, this::licence, o);
    }

    /** The grid as CSV: cell id, size, its centre (British National Grid, EPSG:27700), category, window, count, licence, attribution. */
    public void gridCsv(PublicCounts.GridTable g, Writer out) throws IOException {
        String[] header = {"cell", "cell_size_m", "centre_easting", "centre_northing", "category", "from", "to", "count",
                "licence", "attribution"};
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(header).build())) {
            for (PublicCounts.Cell c : g.cells()) {
                csv.printRecord(cellId(g.grid(), c), (long) g.grid().size(), (long) g.grid().centreX(c.i(), c.j()),
                        (long) g.grid().centreY(c.i(), c.j()), g.query().categoryCode(), g.query().from().toString(),
                        g.query().to().toString(), CsvText.cell(suppression.published(c.value())),
                        CsvText.safe(OpenDataLicence.licence()), CsvText.safe(String.join(" | ", OpenDataLicence.attributions(year))));
            }
        }
    }

    /** A cell's name: the British National Grid easting and northing of its south-west corner, in metres. */
    static String cellId(aim.hotspots.SquareGrid grid, PublicCounts.Cell c) {
        return "E" + Math.round(c.i() * grid.size()) + "_N" + Math.round(c.j() * grid.size());
    }

    private void describe(String level, String version, PublicCounts.Query q, JsonGenerator o) throws IOException {
        o.writeStringField("level", level);
        if (version != null) o.writeStringField("version", version);
        o.writeStringField("from", q.from().toString());
        o.writeStringField("to", q.to().toString());
        o.writeStringField("category", q.categoryCode());
        o.writeArrayFieldStart("months");
        for (YearMonth m : q.months()) o.writeString(m.toString());
        o.writeEndArray();
        o.writeObjectFieldStart("suppression");
        o.writeStringField("suppressed", "<" + suppression.below());
        o.writeStringField("rule", "a count of one category in one month in one ward or " + PublicCounts.BASE_CELL
                + " m square that is above zero and below " + suppression.below() + " is shown as \"<" + suppression.below()
                + "\"; every total is summed from these, so it is exact only when none of its parts is suppressed and is otherwise "
                + "shown as the range its parts allow");
        o.writeEndObject();
    }

    private void licence(JsonGenerator o) throws IOException {
        o.writeObjectFieldStart("licence");
        o.writeStringField("name", OpenDataLicence.LICENCE);
        o.writeStringField("url", OpenDataLicence.LICENCE_URL);
        o.writeEndObject();
        o.writeArrayFieldStart("attribution");
        for (String a : OpenDataLicence.attributions(year)) o.writeString(a);
        o.writeEndArray();
    }

    private void value(Suppression.Value v, JsonGenerator o) throws IOException {
        Object p = suppression.published(v);
        if (p instanceof Long n) o.writeNumber(n);
        else o.writeString(p.toString());
    }
}

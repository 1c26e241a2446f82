package aim.meetings;

import java.util.List;
import java.util.Locale;

/**
 * The briefing's map as one SVG document, drawn without any tile server: ward outlines, hot cells (new ones
 * red, intensifying ones orange, other hot cells pink) and problem places (blue outlines). Coordinates are
 * EPSG:27700 metres as PostGIS's {@code ST_AsSVG} writes them (y negated, so north is up), framed by a
 * {@code viewBox} of the wards' extent with a 2 % margin; the element is at most {@value #WIDTH} × {@value #HEIGHT} px. Every name
 * in a {@code <title>} is escaped.
 */
final class BriefingMap {
    /** The largest size of the map, px: it fits a 1024×768 projector and an A4 landscape page (640 px ≈ 169 mm). */
    static final int WIDTH = 900, HEIGHT = 640;
    static final String NEW = "#d7301f", INTENSIFYING = "#fc8d59", HOT = "#fbb4b9", PROBLEM = "#1f4e9c";

    private BriefingMap() {
    }

    /** A hot cell to draw: grid position, the cell size in metres, and its fill. */
    record Cell(int i, int j, double size, String fill, String label) {
    }

    static String svg(BriefingRepository.Extent extent, List<BriefingRepository.Shape> wards, List<Cell> cells,
                      List<BriefingRepository.Shape> problems) {
        if (extent == null) {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 10\" width=\"" + WIDTH + "\" height=\"90\"></svg>";
        }
        double w = extent.maxX() - extent.minX(), h = extent.maxY() - extent.minY();
        double margin = Math.max(w, h) * 0.02;
        double vx = extent.minX() - margin, vy = -extent.maxY() - margin, vw = w + 2 * margin, vh = h + 2 * margin;
        // the largest size of the viewBox's proportions inside WIDTH × HEIGHT
        double scale = Math.min(WIDTH / vw, HEIGHT / vh);
        int width = (int) Math.round(vw * scale), height = (int) Math.round(vh * scale);
        double stroke = Math.max(vw, vh) / 600;
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"")
                .append(num(vx)).append(' ').append(num(vy)).append(' ').append(num(vw)).append(' ').append(num(vh))
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" preserveAspectRatio=\"xMidYMid meet\">");
        svg.append("<rect x=\"").append(num(vx)).append("\" y=\"").append(num(vy)).append("\" width=\"").append(num(vw))
                .append("\" height=\"").append(num(vh)).append("\" fill=\"#ffffff\"/>");
        svg.append("<g class=\"wards\" fill=\"#f2f2ee\" stroke=\"#666666\" stroke-width=\"").append(num(stroke)).append("\">");
        for (BriefingRepository.Shape ward : wards) {
            svg.append("<path class=\"ward\" d=\"").append(ward.path()).append("\"><title>")
                    .append(BriefingHtml.escape(ward.label() + " (" + ward.code() + ")")).append("</title></path>");
        }
        svg.append("</g><g class=\"cells\" stroke=\"none\">");
        for (Cell c : cells) {
            svg.append("<rect x=\"").append(num(c.i() * c.size())).append("\" y=\"").append(num(-(c.j() + 1) * c.size()))
                    .append("\" width=\"").append(num(c.size())).append("\" height=\"").append(num(c.size()))
                    .append("\" fill=\"").append(c.fill()).append("\" fill-opacity=\"0.85\"><title>")
                    .append(BriefingHtml.escape(c.label())).append("</title></rect>");
        }
        svg.append("</g><g class=\"problems\" fill=\"none\" stroke=\"").append(PROBLEM).append("\" stroke-width=\"")
                .append(num(stroke * 2.5)).append("\">");
        for (BriefingRepository.Shape p : problems) {
            svg.append("<path class=\"problem\" d=\"").append(p.path()).append("\"><title>")
                    .append(BriefingHtml.escape("Problem " + p.code() + ": " + p.label())).append("</title></path>");
        }
        svg.append("</g></svg>");
        return svg.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}

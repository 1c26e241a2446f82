package aim.meetings;

import aim.problems.TargetProgress;

import java.util.List;
import java.util.Locale;

/**
 * The briefing as one self-contained XHTML page, for a projector at 1024×768 and for print, and the
 * source of the PDF ({@link BriefingPdf}). Its own CSS is inline in a {@code <style>} element (the
 * Content-Security-Policy allows inline styles, no scripts), the map is inline SVG, and nothing is loaded
 * from anywhere. Every user string (titles, notes, reasons, names) is escaped; every figure links to the
 * web map view that produced it. The text is kept to Latin-1 characters so the PDF's standard fonts
 * show it.
 */
public final class BriefingHtml {
    private BriefingHtml() {
    }

    static final String CSS = """
            @page { size: A4 landscape; margin: 12mm; }
            body { font-family: Helvetica, Arial, sans-serif; font-size: 20px; line-height: 1.35; color: #111; margin: 0 auto;
                   max-width: 1000px; padding: 8px 12px; }
            h1 { font-size: 34px; margin: 0 0 4px 0; }
            h2 { font-size: 27px; margin: 26px 0 8px 0; border-bottom: 3px solid #1f4e9c; padding-bottom: 2px; }
            h3 { font-size: 22px; margin: 16px 0 6px 0; }
            p { margin: 4px 0 8px 0; }
            a { color: #0b3d91; }
            table { border-collapse: collapse; width: 100%; margin: 6px 0 12px 0; }
            th, td { border-bottom: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #e8edf5; }
            td.n, th.n { text-align: right; }
            td.d { white-space: nowrap; }
            tr { page-break-inside: avoid; }
            .meta { font-size: 18px; color: #333; }
            .note { font-size: 16px; color: #444; }
            .sig { font-weight: bold; }
            .up { color: #b10000; }
            .down { color: #006400; }
            .overdue { color: #b10000; font-weight: bold; }
            .empty { color: #555; font-style: italic; }
            .map { max-width: 100%; height: auto; border: 1px solid #999; }
            .legend span { display: inline-block; width: 18px; height: 18px; margin: 0 6px 0 14px; border: 1px solid #666;
                           vertical-align: middle; }
            section { page-break-inside: auto; }
            figure { page-break-inside: avoid; }
            @media print { body { font-size: 13px; max-width: none; } h1 { font-size: 22px; } h2 { font-size: 17px; }
                           h3 { font-size: 14px; } .meta { font-size: 12px; } .note { font-size: 11px; } }
            """;

    /** The page as a string (UTF-8 when sent). */
    public static String render(Briefing b) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en-GB\"><head><meta charset=\"utf-8\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><link rel=\"icon\" href=\"data:,\"/><title>")
                .append(escape("Briefing: " + b.meeting().title() + " (" + b.meeting().heldOn() + ")"))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        Briefing.Window w = b.window();
        h.append("<h1>").append(escape(b.meeting().title())).append("</h1>");
        h.append("<p class=\"meta\">AIM group meeting on ").append(b.meeting().heldOn()).append(". Briefing window ")
                .append(link(b.meeting().link(), w.from() + " to " + w.to())).append(" (").append(w.days()).append(" days, ")
                .append(escape(w.quarter())).append("), compared with ").append(w.previousFrom()).append(" to ").append(w.previousTo())
                .append(" (").append(escape(w.previousQuarter())).append(") and with ").append(w.lastYearFrom()).append(" to ")
                .append(w.lastYearTo()).append(" (").append(escape(w.lastYearQuarter())).append(").");
        if (!b.meeting().attendees().isEmpty()) {
            h.append(" Attending: ").append(escape(String.join(", ", b.meeting().attendees().stream().map(Meeting.Attendee::name).toList())))
                    .append('.');
        }
        h.append("</p>");

        headline(h, b);
        hotspots(h, b);
        wards(h, b);
        problems(h, b);
        actions(h, b);
        decisions(h, b);
        BriefingIndicators.html(h, b.indicators(), 7);
        BriefingEvaluations.html(h, b.evaluations(), "8");

        h.append("<p class=\"note\">Generated ").append(b.generatedAt()).append(". ");
        if (b.redaction() != null) h.append(escape(String.valueOf(b.redaction().get("note")))).append(". ");
        h.append("Change tests: ").append(escape(b.headline().test())).append(".</p>");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void headline(StringBuilder h, Briefing b) {
        Briefing.Headline hl = b.headline();
        h.append("<section id=\"headline\"><h2>1. Headline: incidents this window</h2>");
        if (hl.note() != null) h.append("<p class=\"note\">").append(escape(hl.note())).append("</p>");
        h.append("<table><thead><tr><th>Area</th><th class=\"n\">This window</th><th class=\"n\">Previous window</th>")
                .append("<th class=\"n\">Change</th><th class=\"n\">Same window last year</th><th class=\"n\">Change</th></tr></thead><tbody>");
        for (Briefing.Line l : hl.neighbourhoods()) headlineRow(h, l, false);
        headlineRow(h, hl.total(), true);
        h.append("</tbody></table><p class=\"note\">Bold changes are significant (p &lt; 0.05).</p></section>");
    }

    private static void headlineRow(StringBuilder h, Briefing.Line l, boolean total) {
        h.append("<tr>").append(total ? "<th>" : "<td>").append(link(l.link(), l.name())).append(total ? "</th>" : "</td>")
                .append("<td class=\"n\">").append(link(l.link(), Long.toString(l.count()))).append("</td>")
                .append("<td class=\"n\">").append(l.previous()).append("</td>")
                .append("<td class=\"n\">").append(change(l.sincePrevious())).append("</td>")
                .append("<td class=\"n\">").append(l.lastYear()).append("</td>")
                .append("<td class=\"n\">").append(change(l.sinceLastYear())).append("</td></tr>");
    }

    private static void hotspots(StringBuilder h, Briefing b) {
        Briefing.Hotspots hs = b.hotspots();
        h.append("<section id=\"hotspots\"><h2>2. New and intensifying hot spots</h2><p>")
                .append(link(hs.link(), hs.hotCells() + " hot cells")).append(" of ").append((int) hs.cellSize())
                .append(" m this window: ").append(hs.fresh().size()).append(" new, ").append(hs.intensifying().size())
                .append(" intensifying.</p><figure style=\"margin: 0\">").append(b.map().svg())
                .append("<figcaption class=\"legend note\">").append(swatch(BriefingMap.NEW)).append("new hot cell")
                .append(swatch(BriefingMap.INTENSIFYING)).append("intensifying").append(swatch(BriefingMap.HOT)).append("hot")
                .append("<span style=\"border: 3px solid ").append(BriefingMap.PROBLEM).append("; background: none\"></span>problem place. ")
                .append(link(b.map().link(), "Open this map")).append(". ").append(escape(hs.rule())).append(".</figcaption></figure>");
        for (var list : List.of(List.of("New hot cells", hs.fresh()), List.of("Intensifying hot cells", hs.intensifying()))) {
            @SuppressWarnings("unchecked") List<Briefing.HotCell> cells = (List<Briefing.HotCell>) list.get(1);
            if (cells.isEmpty()) continue;
            h.append("<h3>").append(list.get(0)).append("</h3><table><thead><tr><th>Cell</th><th class=\"n\">Incidents</th>")
                    .append("<th class=\"n\">Previous window</th><th class=\"n\">Gi* z</th></tr></thead><tbody>");
            for (Briefing.HotCell c : cells) {
                h.append("<tr><td>").append(link(c.link(), c.i() + ", " + c.j())).append("</td><td class=\"n\">")
                        .append(link(c.link(), Long.toString(c.incidents()))).append("</td><td class=\"n\">").append(c.previousIncidents())
                        .append("</td><td class=\"n\">").append(c.z() == null ? "" : String.format(Locale.ROOT, "%.2f", c.z()))
                        .append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>");
    }

    private static void wards(StringBuilder h, Briefing b) {
        h.append("<section id=\"wards\"><h2>3. Ward ranking by rate per 1,000 residents</h2><table><thead><tr><th class=\"n\">Rank</th>")
                .append("<th>Ward</th><th class=\"n\">Incidents</th><th class=\"n\">Rate per 1,000</th><th class=\"n\">Previous rank</th>")
                .append("<th>Movement</th></tr></thead><tbody>");
        for (Briefing.WardRow r : b.wards()) {
            String movement = r.movement() == null ? "" : r.movement() > 0 ? "<span class=\"up\">up " + r.movement() + "</span>"
                    : r.movement() < 0 ? "<span class=\"down\">down " + (-r.movement()) + "</span>" : "no change";
            h.append("<tr><td class=\"n\">").append(r.rank() == null ? "-" : r.rank()).append("</td><td>").append(link(r.link(), r.name()))
                    .append("</td><td class=\"n\">").append(link(r.link(), Long.toString(r.count()))).append("</td><td class=\"n\">")
                    .append(r.rate() == null ? "no population" : String.format(Locale.ROOT, "%.2f", r.rate())).append("</td><td class=\"n\">")
                    .append(r.previousRank() == null ? "-" : r.previousRank()).append("</td><td>").append(movement).append("</td></tr>");
        }
        h.append("</tbody></table></section>");
    }

    private static void problems(StringBuilder h, Briefing b) {
        h.append("<section id=\"problems\"><h2>4. Problems</h2>");
        problemList(h, "New problems", b.problems().fresh());
        problemList(h, "Escalated from the Neighbourhood Action Partnerships", b.problems().escalated());
        problemList(h, "On this meeting's agenda", b.problems().agenda());
        h.append("</section>");
    }

    private static void problemList(StringBuilder h, String heading, List<Briefing.ProblemItem> problems) {
        h.append("<h3>").append(escape(heading)).append("</h3>");
        if (problems.isEmpty()) {
            h.append("<p class=\"empty\">None.</p>");
            return;
        }
        h.append("<table><thead><tr><th>Problem</th><th>Stage and owner</th><th>Target</th><th class=\"n\">Incidents (trend)</th>")
                .append("</tr></thead><tbody>");
        for (Briefing.ProblemItem p : problems) {
            h.append("<tr><td>").append(link(p.link(), "#" + p.id() + " " + p.title())).append("<br/><span class=\"note\">")
                    .append(escape(p.placeLabel())).append("; since ").append(p.startDate()).append("</span>");
            if (p.escalation() != null) {
                Briefing.Escalation e = p.escalation();
                h.append("<br/>Escalation from ").append(escape(e.fromOwner())).append(": ").append(escape(e.reason()))
                        .append(e.decision() == null ? " <b>(pending)</b>" : " <b>(" + escape(e.decision()) + ")</b>");
                if (e.decisionNote() != null) h.append(" ").append(escape(e.decisionNote()));
            }
            h.append("</td><td>").append(escape(p.stage())).append("<br/>").append(escape(p.owner())).append("</td><td>");
            if (p.progress() instanceof TargetProgress t) {
                h.append(escape(t.description())).append(" <b>[").append(escape(t.status())).append("]</b>");
            } else {
                h.append("<span class=\"empty\">no target</span>");
            }
            h.append("</td><td class=\"n\">").append(link(p.link(), Long.toString(p.trend().current()))).append(" (previous ")
                    .append(p.trend().previous()).append(", ").append(change(p.trend().change())).append(")</td></tr>");
        }
        h.append("</tbody></table>");
    }

    private static void actions(StringBuilder h, Briefing b) {
        Briefing.Actions a = b.actions();
        h.append("<section id=\"actions\"><h2>5. Actions</h2>");
        if (a.byOrganisation().isEmpty()) {
            h.append("<p class=\"empty\">No actions due, overdue or completed.</p>");
        } else {
            h.append("<table><thead><tr><th>Organisation</th><th class=\"n\">Due in the window</th><th class=\"n\">Overdue</th>")
                    .append("<th class=\"n\">Completed in the window</th></tr></thead><tbody>");
            for (Briefing.OrganisationCount o : a.byOrganisation()) {
                h.append("<tr><td>").append(escape(o.name())).append("</td><td class=\"n\">").append(o.due()).append("</td><td class=\"n")
                        .append(o.overdue() > 0 ? " overdue" : "").append("\">").append(o.overdue()).append("</td><td class=\"n\">")
                        .append(o.completed()).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        actionList(h, "Overdue on " + a.today(), a.overdue());
        actionList(h, "Due in the window", a.due());
        actionList(h, "Completed in the window", a.completed());
        h.append("</section>");
    }

    private static void actionList(StringBuilder h, String heading, List<Briefing.ActionItem> actions) {
        h.append("<h3>").append(escape(heading)).append("</h3>");
        if (actions.isEmpty()) {
            h.append("<p class=\"empty\">None.</p>");
            return;
        }
        h.append("<table><thead><tr><th>Action</th><th>Problem</th><th>Organisation</th><th>Due</th><th>Status</th></tr></thead><tbody>");
        for (Briefing.ActionItem x : actions) actionRow(h, x);
        h.append("</tbody></table>");
    }

    private static void actionRow(StringBuilder h, Briefing.ActionItem x) {
        h.append("<tr><td>").append(escape(x.title())).append("</td><td>").append(link(x.link(), "#" + x.problemId() + " " + x.problemTitle()))
                .append("</td><td>").append(escape(x.organisation().name())).append("</td><td class=\"d\">").append(x.due()).append("</td><td>")
                .append(escape(x.status()));
        if (x.overdue()) h.append(" <span class=\"overdue\">overdue</span>");
        if (x.completedOn() != null) h.append(" on ").append(x.completedOn());
        h.append("</td></tr>");
    }

    private static void decisions(StringBuilder h, Briefing b) {
        h.append("<section id=\"decisions\"><h2>6. Decisions of the last meeting and their follow-up</h2>");
        Briefing.PreviousMeeting p = b.previousMeeting();
        if (p == null) {
            h.append("<p class=\"empty\">This is the first meeting.</p></section>");
            return;
        }
        h.append("<p>").append(escape(p.title())).append(", ").append(p.heldOn()).append(".</p>");
        if (p.decisions().isEmpty()) h.append("<p class=\"empty\">No decisions were recorded.</p>");
        else {
            h.append("<table><thead><tr><th>Decision</th><th>Problem</th><th>Actions agreed and their status</th></tr></thead><tbody>");
            for (Briefing.DecisionFollowUp d : p.decisions()) {
                h.append("<tr><td>").append(escape(d.text())).append("</td><td>")
                        .append(d.problemId() == null ? "" : escape("#" + d.problemId() + " " + d.problemTitle())).append("</td><td>");
                if (d.actions().isEmpty()) h.append("<span class=\"empty\">none</span>");
                for (Briefing.ActionItem x : d.actions()) {
                    h.append(escape(x.title() + " (" + x.organisation().name() + ", due " + x.due() + "): " + x.status()));
                    if (x.overdue()) h.append(" <span class=\"overdue\">overdue</span>");
                    h.append("<br/>");
                }
                h.append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        actionList(h, "All actions agreed at that meeting", p.actionsAgreed());
        h.append("</section>");
    }

    private static String change(Briefing.Change c) {
        String text = (c.count() > 0 ? "+" : "") + c.count() + (c.percent() == null ? "" : String.format(Locale.ROOT, " (%+.1f%%)", c.percent()))
                + (c.pValue() < 0.001 ? ", p < 0.001" : String.format(Locale.ROOT, ", p = %.3f", c.pValue()));
        return c.significant() ? "<span class=\"sig\">" + text + "</span>" : text;
    }

    private static String swatch(String colour) {
        return "<span style=\"background: " + colour + "\"></span>";
    }

    private static String link(String href, String text) {
        return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
    }

    /**
     * Text safe inside XHTML elements and attributes: markup characters as entities, and characters XML
     * cannot hold (control characters, unpaired surrogates, U+FFFE/U+FFFF) as U+FFFD.
     */
    static String escape(String text) {
        if (text == null) return "";
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int k = 0; k < text.length(); ) {
            int cp = text.codePointAt(k);
            k += Character.charCount(cp);
            switch (cp) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    boolean allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    out.appendCodePoint(allowed ? cp : 0xFFFD);
                }
            }
        }
        return out.toString();
    }
}

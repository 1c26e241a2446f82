package aim.meetings;

import aim.accounts.User;
import aim.evaluation.EffectSize;
import aim.evaluation.Evaluation;
import aim.evaluation.EvaluationService;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * The briefing's "Did it work?" section: the operations (actions with start and end dates) the caller may
 * see that ended in the briefing window, each evaluated by the evaluation domain ({@link EvaluationService}:
 * its problem's place and categories, a 500 m buffer, the rest of the borough as control, before = the same
 * length before the operation): counts, RES with its interval, WDQ and its reading.
 */
public final class BriefingEvaluations {
    /** At most this many operations are evaluated in one briefing. */
    static final int MAX_OPERATIONS = 10;

    private BriefingEvaluations() {
    }

    public record Section(String rule, List<Item> operations) {
    }

    public record Item(long actionId, String actionTitle, long problemId, String place, List<String> categories,
                       Evaluation.Periods periods, EffectSize.Counts target, EffectSize.Counts buffer, EffectSize.Counts control,
                       EffectSize.Res res, Double wdq, String reading, String text, String link) {
    }

    static Section of(EvaluationService evaluations, LocalDate from, LocalDate to, User caller) {
        List<Item> items = evaluations.operationsEnded(from, to, caller, MAX_OPERATIONS).stream().map(e -> new Item(
                e.subject().actionId(), e.subject().actionTitle(), e.subject().problemId(), e.subject().label(), e.categories(),
                e.periods(), e.target(), e.buffer(), e.control(), e.res(), e.wdq(), e.interpretation().reading(), e.interpretation().text(),
                new MapView().with("layers", "problems,wards").with("problem", e.subject().problemId())
                        .with("evaluate", "action:" + e.subject().actionId()).toString())).toList();
        return new Section("operations that ended in the window (at most " + MAX_OPERATIONS + ", latest first): the problem's place "
                + "and categories, a " + 500 + " m buffer, the rest of the borough as control, before = the same length before", items);
    }

    static void html(StringBuilder h, Section s, String number) {
        h.append("<section id=\"evaluations\"><h2>").append(number).append(". Did it work? Operations that ended in the window</h2>");
        if (s.operations().isEmpty()) {
            h.append("<p class=\"empty\">No operation ended in the window.</p></section>");
            return;
        }
        h.append("<table><thead><tr><th>Operation</th><th>Before → after</th><th class=\"n\">Target</th><th class=\"n\">Buffer</th>")
                .append("<th class=\"n\">Control</th><th class=\"n\">RES (95% interval)</th><th class=\"n\">WDQ</th><th>Reading</th></tr></thead><tbody>");
        for (Item x : s.operations()) {
            h.append("<tr><td><a href=\"").append(BriefingHtml.escape(x.link())).append("\">").append(BriefingHtml.escape(x.actionTitle()))
                    .append("</a> (").append(BriefingHtml.escape(x.place())).append(")</td><td>")
                    .append(x.periods().before().from()).append(" – ").append(x.periods().before().to()).append(" → ")
                    .append(x.periods().after().from()).append(" – ").append(x.periods().after().to()).append("</td>")
                    .append(counts(x.target())).append(counts(x.buffer())).append(counts(x.control())).append("<td class=\"n\">")
                    .append(x.res().value() == null ? "—" : fmt(x.res().value()) + " (" + fmt(x.res().low()) + "–" + fmt(x.res().high()) + ")")
                    .append("</td><td class=\"n\">").append(x.wdq() == null ? "—" : fmt(x.wdq())).append("</td><td>")
                    .append(BriefingHtml.escape(x.text())).append("</td></tr>");
        }
        h.append("</tbody></table><p class=\"note\">RES = (a·d)/(b·c), Farrington's relative effect size (a, b: target before, after; ")
                .append("c, d: control): above 1 the target fell relative to the control. WDQ: Bowers &amp; Johnson (2003) weighted ")
                .append("displacement quotient. ").append(BriefingHtml.escape(s.rule())).append(".</p></section>");
    }

    private static String counts(EffectSize.Counts c) {
        return "<td class=\"n\">" + c.before() + " → " + c.after() + "</td>";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

package aim.evaluation;

import aim.accounts.User;
import aim.core.DomainException;
import aim.incidents.Taxonomy;
import aim.incidents.TaxonomyRepository;
import aim.web.AccessControl;
import aim.web.QueryParams;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * "Did it work?": {@code GET /api/evaluation} (target, buffer and control counts before and after, RES,
 * WDQ and their reading) and {@code GET /api/evaluation/controls} (the wards most like the target before,
 * to choose a control from). Any signed-in user; counts as the caller may see them.
 */
public final class EvaluationController {
    private final EvaluationService service;
    private final AccessControl access;
    private final TaxonomyRepository taxonomies;

    public EvaluationController(EvaluationService service, AccessControl access, TaxonomyRepository taxonomies) {
        this.service = service;
        this.access = access;
        this.taxonomies = taxonomies;
    }

    /**
     * GET /api/evaluation?area=ward:CODE|neighbourhood:CODE|problem:ID | action=ID &category=&source=
     * &before_from=&before_to=&after_from=&after_to=&control=borough|ward:CODE,…&buffer=500
     */
    public void evaluate(Context ctx) {
        User user = access.required(ctx);
        EvaluationQuery q = query(ctx);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(service.evaluate(q, user));
    }

    /** GET /api/evaluation/controls?(area=…|action=ID)&category=&source=&before_from=&before_to=&after_from=&after_to=&k=5 */
    public void controls(Context ctx) {
        User user = access.required(ctx);
        int k = QueryParams.integer(ctx, "k", 5, 1, EvaluationService.MAX_SUGGESTIONS);
        EvaluationQuery q = query(ctx);
        ctx.header("Cache-Control", "private, no-store");
        ctx.json(Map.of("controls", service.suggestControls(q, k, user)));
    }

    private EvaluationQuery query(Context ctx) {
        String area = ctx.queryParam("area");
        long action = QueryParams.atLeast(ctx, "action", 0, 1);
        Set<String> codes = taxonomies.load().categories().stream().map(Taxonomy.Category::code).collect(Collectors.toSet());
        return new EvaluationQuery(area == null || area.isBlank() ? null : area, action == 0 ? null : action,
                QueryParams.list(ctx, "category", codes), QueryParams.list(ctx, "source", Set.copyOf(Taxonomy.SOURCES)),
                QueryParams.date(ctx, "before_from"), QueryParams.date(ctx, "before_to"),
                QueryParams.date(ctx, "after_from"), QueryParams.date(ctx, "after_to"),
                control(ctx.queryParam("control")), QueryParams.integer(ctx, "buffer", 500, 0, EvaluationQuery.MAX_BUFFER));
    }

    /** borough (or absent): null; otherwise ward:CODE,ward:CODE,… as codes. */
    private static List<String> control(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("borough")) return null;
        List<String> codes = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.strip();
            if (s.isEmpty()) continue;
            if (!s.startsWith("ward:") || s.length() == "ward:".length()) {
                throw DomainException.invalid("control", "control is borough or a list ward:CODE,ward:CODE,…; not '" + s + "'");
            }
            String code = s.substring("ward:".length()).strip();
            if (!codes.contains(code)) codes.add(code);
        }
        if (codes.isEmpty()) throw DomainException.invalid("control", "control is borough or a list ward:CODE,ward:CODE,…");
        return codes;
    }
}

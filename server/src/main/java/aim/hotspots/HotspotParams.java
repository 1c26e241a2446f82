package aim.hotspots;

import aim.core.DomainException;
import aim.accounts.User;
import aim.boundaries.BoundaryRepository;
import aim.incidents.Taxonomy;
import aim.web.QueryParams;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads the filter every analysis endpoint shares: {@code from}, {@code to} (inclusive dates),
 * {@code category} and {@code source} (comma lists), {@code area} (borough, neighbourhood:CODE,
 * ward:CODE) and {@code version} (the ward version; default current). Bad values are 400 problems
 * naming the parameter. The analysis is for {@code viewer}, whose view of sensitive incidents it counts.
 */
public final class HotspotParams {
    private HotspotParams() {
    }

    public static HotspotFilter filter(Context ctx, BoundaryRepository boundaries, Taxonomy taxonomy, User viewer) {
        LocalDate from = QueryParams.date(ctx, "from");
        LocalDate to = QueryParams.date(ctx, "to");
        if (from != null && to != null && to.isBefore(from)) {
            throw DomainException.invalid("to", "to (" + to + ") is before from (" + from + ")");
        }
        Set<String> codes = taxonomy.categories().stream().map(Taxonomy.Category::code).collect(Collectors.toSet());
        return new HotspotFilter(from, to, QueryParams.list(ctx, "category", codes), QueryParams.list(ctx, "source", Set.copyOf(Taxonomy.SOURCES)),
                StudyArea.resolve(boundaries, ctx.queryParam("area"), ctx.queryParam("version")), viewer);
    }
}

package aim.places;

import aim.core.DomainException;
import aim.web.AccessControl;
import aim.web.QueryParams;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;

/** GET /api/places?q=&limit=: the map's place and postcode search (signed-in users). */
public final class PlaceController {
    static final int MAX_LIMIT = 50;

    private final PlaceRepository repository;
    private final AccessControl access;

    public PlaceController(PlaceRepository repository, AccessControl access) {
        this.repository = repository;
        this.access = access;
    }

    public void search(Context ctx) {
        access.required(ctx);
        String q = ctx.queryParam("q");
        if (q == null || q.isBlank()) throw DomainException.invalid("q", "q is required: a place, area name or code, or a postcode");
        q = q.strip();
        if (q.codePointCount(0, q.length()) < 2 || q.length() > 100) {
            throw DomainException.invalid("q", "q must be from 2 to 100 characters");
        }
        int limit = QueryParams.limit(ctx, 10, MAX_LIMIT);
        PlaceRepository.Found found = repository.search(q, limit);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("q", q);
        if (Postcodes.isFull(q)) meta.put("postcode", Postcodes.format(q));
        meta.put("order", found.suggestions() ? "similarity" : "relevance");
        meta.put("suggestions", found.suggestions());
        ctx.header("Cache-Control", "private, no-store");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("meta", meta);
        body.put("places", found.places());
        ctx.json(body);
    }
}

package aim.problems;

import aim.accounts.User;
import aim.core.Council;
import aim.core.DomainException;
import aim.reports.IdempotencyKey;
import aim.web.AccessControl;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Problems, their actions and escalations over HTTP: parses and checks the request, calls the
 * repositories, writes the answer. Creating POSTs take an optional {@code Idempotency-Key}.
 */
public final class ProblemController {
    private static final Pattern OWNER_FILTER = Pattern.compile("^(aim|nap|nap:[A-Za-z0-9._-]{1,64})$");
    private static final Pattern ORGANISATION_CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{0,39}$");

    private final ProblemRepository problems;
    private final ActionRepository actions;
    private final ProblemInputs inputs;
    private final AccessControl access;
    private final ObjectMapper json;
    private final Clock clock;
    private final int maxPageSize;

    /** Builds the {@link ProblemInput} of a request (the taxonomy is read afresh each time). */
    @FunctionalInterface
    public interface ProblemInputs {
        ProblemInput get();
    }

    public ProblemController(ProblemRepository problems, ActionRepository actions, ProblemInputs inputs, AccessControl access,
                             ObjectMapper json, Clock clock, int maxPageSize) {
        this.problems = problems;
        this.actions = actions;
        this.inputs = inputs;
        this.access = access;
        this.json = json;
        this.clock = clock;
        this.maxPageSize = maxPageSize;
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(Council.UK));
    }

    /** POST /api/problems (analyst, admin): 201 for a new problem, 200 for a replay of its Idempotency-Key. */
    public void create(Context ctx) {
        User user = access.required(ctx);
        String key = key(ctx);
        JsonNode body = JsonBodies.object(ctx);
        byte[] hash = IdempotencyKey.requestHash(body);
        ProblemFields fields = inputs.get().forCreate(body, today());
        LoopRequests.Created created = problems.create(fields, user, key, hash);
        answer(ctx, created, "/api/problems/" + created.id(), problem(created.id(), user));
    }

    /** GET /api/problems?stage=&owner=&organisation=&bbox=: a GeoJSON FeatureCollection streamed from PostGIS. */
    public void list(Context ctx) throws IOException {
        User user = access.required(ctx);
        List<String> stages = QueryParams.list(ctx, "stage", Set.copyOf(ProblemStages.STAGES));
        String owner = ctx.queryParam("owner");
        if (owner != null && (owner = owner.strip()).isEmpty()) owner = null;
        if (owner != null && !OWNER_FILTER.matcher(owner).matches()) {
            throw DomainException.invalid("owner", "owner is 'aim', 'nap' (any NAP) or 'nap:<neighbourhood code>'");
        }
        String organisation = organisationParam(ctx);
        double[] bbox = QueryParams.bbox(ctx, "bbox");
        var query = new ProblemRepository.ListQuery(stages, owner, organisation, bbox, maxPageSize);
        ctx.contentType("application/geo+json");
        ctx.header("Cache-Control", "private, no-store");
        try (JsonGenerator out = json.getFactory().createGenerator(ctx.outputStream())) {
            problems.writeList(query, user, today(), out);
        }
    }

    /** GET /api/problems/{id} */
    public void one(Context ctx) {
        User user = access.required(ctx);
        ctx.json(problem(id(ctx), user));
    }

    /** PATCH /api/problems/{id} (analyst, admin), optional If-Match: "revision". */
    public void update(Context ctx) {
        User user = access.required(ctx);
        long id = id(ctx);
        Integer ifMatch = ifMatch(ctx);
        JsonNode body = JsonBodies.object(ctx);
        LocalDate start = problems.startDate(id).orElseThrow(() -> noProblem(id));
        ProblemFields change = inputs.get().forChange(body, start);
        if (!problems.update(id, change, ifMatch, user, today())) throw noProblem(id);
        ctx.json(problem(id, user));
    }

    /** POST /api/problems/{id}/actions (analyst, admin) */
    public void addAction(Context ctx) {
        User user = access.required(ctx);
        long problemId = id(ctx);
        String key = key(ctx);
        JsonNode body = JsonBodies.object(ctx);
        byte[] hash = IdempotencyKey.requestHash(withPath(body, problemId));
        ActionInput.NewAction action = ActionInput.forCreate(body);
        LoopRequests.Created created = actions.create(problemId, action, user, key, hash);
        answer(ctx, created, "/api/actions/" + created.id(), actions.one(created.id(), user, today()).orElseThrow());
    }

    /** GET /api/actions?organisation=<code>|mine&status=&overdue=true&problem= */
    public void listActions(Context ctx) {
        User user = access.required(ctx);
        String organisation = organisationParam(ctx);
        boolean mine = "mine".equals(organisation);
        List<String> statuses = QueryParams.list(ctx, "status", Set.copyOf(ActionWorkflow.STATUSES));
        boolean overdue = QueryParams.bool(ctx, "overdue", false);
        long problem = QueryParams.atLeast(ctx, "problem", 0, 1);
        ctx.json(actions.list(new ActionRepository.Query(mine ? null : organisation, mine, statuses, overdue,
                problem == 0 ? null : problem, maxPageSize), user, today()));
    }

    /** PATCH /api/actions/{id}: analysts and admins any field; the action's organisation only status and note. */
    public void updateAction(Context ctx) {
        User user = access.required(ctx);
        long id = id(ctx);
        Integer ifMatch = ifMatch(ctx);
        ActionInput.Change change = ActionInput.forChange(JsonBodies.object(ctx));
        if (!actions.update(id, change, ifMatch, user, today())) throw DomainException.notFound("id", "no action " + id);
        ctx.json(actions.one(id, user, today()).orElseThrow(() -> DomainException.notFound("id", "no action " + id)));
    }

    /** POST /api/problems/{id}/escalations {reason} (analyst, admin) */
    public void escalate(Context ctx) {
        User user = access.required(ctx);
        long problemId = id(ctx);
        String key = key(ctx);
        JsonNode body = JsonBodies.object(ctx);
        ProblemInput.unknownFields(body, Set.of("reason"));
        String reason = ProblemInput.text(body, "reason", 2000, true);
        byte[] hash = IdempotencyKey.requestHash(withPath(body, problemId));
        LoopRequests.Created created = problems.escalate(problemId, reason, user, key, hash);
        answer(ctx, created, "/api/escalations/" + created.id(), problems.escalation(created.id(), user).orElseThrow());
    }

    /** PATCH /api/escalations/{id} {decision: accepted|returned, note, meeting?} (analyst, admin) */
    public void decide(Context ctx) {
        User user = access.required(ctx);
        long id = id(ctx);
        JsonNode body = JsonBodies.object(ctx);
        ProblemInput.unknownFields(body, Set.of("decision", "note", "meeting"));
        JsonNode d = body.get("decision");
        if (d == null || !d.isTextual() || !(d.asText().equals("accepted") || d.asText().equals("returned"))) {
            throw DomainException.invalid("decision", "decision is 'accepted' or 'returned'");
        }
        String note = ProblemInput.text(body, "note", 2000, d.asText().equals("returned"));
        Long meeting = null;
        if (body.hasNonNull("meeting")) {
            JsonNode m = body.get("meeting");
            if (!m.isIntegralNumber() || !m.canConvertToLong() || m.asLong() < 1) throw DomainException.invalid("meeting", "meeting is a meeting id");
            meeting = m.asLong();
        }
        problems.decide(id, d.asText(), note, meeting, user);
        ctx.json(problems.escalation(id, user).orElseThrow());
    }

    private JsonNode problem(long id, User user) {
        return problems.detail(id, user, today()).orElseThrow(() -> noProblem(id));
    }

    private static void answer(Context ctx, LoopRequests.Created created, String location, Object body) {
        ctx.header("Location", location);
        if (created.replayed()) ctx.header("Idempotent-Replayed", "true");
        else ctx.status(HttpStatus.CREATED);
        ctx.json(body);
    }

    /** The body with the path's id, so one key reused on another problem counts as another request. */
    private static JsonNode withPath(JsonNode body, long id) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = body.deepCopy(); // JsonBodies.object: always an object
        return copy.put("$path", id);
    }

    private static String key(Context ctx) {
        String header = ctx.header(IdempotencyKey.HEADER);
        return header == null ? null : IdempotencyKey.check(header);
    }

    private static String organisationParam(Context ctx) {
        String v = ctx.queryParam("organisation");
        if (v == null || v.isBlank()) return null;
        v = v.strip();
        if (!v.equals("mine") && !ORGANISATION_CODE.matcher(v).matches()) {
            throw DomainException.invalid("organisation", "organisation is an organisation code or 'mine'");
        }
        return v;
    }

    /** The revision of {@code If-Match: "3"} (weak tags and bare numbers too); null when absent or "*". */
    private static Integer ifMatch(Context ctx) {
        String v = ctx.header("If-Match");
        if (v == null || v.isBlank() || v.strip().equals("*")) return null;
        String tag = v.strip();
        if (tag.startsWith("W/")) tag = tag.substring(2);
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) tag = tag.substring(1, tag.length() - 1);
        try {
            return Integer.parseInt(tag);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("If-Match", "If-Match is the revision in quotes, e.g. \"3\"");
        }
    }

    private static long id(Context ctx) {
        String v = ctx.pathParam("id");
        try {
            long id = Long.parseLong(v);
            if (id < 1) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw DomainException.invalid("id", "an id is a positive whole number, not '" + v + "'");
        }
    }

    private static DomainException noProblem(long id) {
        return DomainException.notFound("id", "no problem " + id);
    }
}

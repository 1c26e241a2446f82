package aim.meetings;

import aim.accounts.User;
import aim.core.DomainException;
import aim.reports.IdempotencyKey;
import aim.web.AccessControl;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * HTTP endpoints of meetings: create (optional {@code Idempotency-Key}), list, read, change, record
 * decisions (optional key) and the briefing as JSON, HTML or PDF. Parses and checks the request, calls
 * {@link MeetingRepository} or {@link BriefingService}, writes the answer.
 */
public final class MeetingController {
    static final int DEFAULT_LIST = 100, MAX_LIST = 500;

    private final MeetingRepository meetings;
    private final BriefingService briefings;
    private final AccessControl access;

    public MeetingController(MeetingRepository meetings, BriefingService briefings, AccessControl access) {
        this.meetings = meetings;
        this.briefings = briefings;
        this.access = access;
    }

    /** POST /api/meetings {heldOn, title, attendees, agenda}: 201, or 200 with Idempotent-Replayed for a retry. */
    public void create(Context ctx) {
        User user = access.required(ctx);
        String key = key(ctx);
        MeetingRequest body = JsonBodies.convert(JsonBodies.object(ctx), MeetingRequest.class);
        byte[] hash = key == null ? null : IdempotencyKey.requestHash(body);
        if (key != null && replayed(ctx, user, MeetingRepository.MEETING, key, hash)) return;
        MeetingValidation.Fields fields = MeetingValidation.forCreate(body);
        OptionalLong id = meetings.create(fields, user.id(), key, hash);
        if (id.isEmpty()) {
            // a concurrent request with this key committed first: answer as its retry
            if (!replayed(ctx, user, MeetingRepository.MEETING, key, hash)) throw new IllegalStateException("a lost idempotency key");
            return;
        }
        ctx.status(HttpStatus.CREATED).header("Location", location(id.getAsLong())).json(meeting(id.getAsLong(), user));
    }

    /** GET /api/meetings?limit=: newest first. */
    public void list(Context ctx) {
        access.required(ctx);
        ctx.json(meetings.list(QueryParams.limit(ctx, DEFAULT_LIST, MAX_LIST)));
    }

    /** GET /api/meetings/{id} */
    public void one(Context ctx) {
        User user = access.required(ctx);
        ctx.json(meeting(id(ctx), user));
    }

    /** PATCH /api/meetings/{id} {title?, heldOn?, attendees?, agenda?} */
    public void edit(Context ctx) {
        User user = access.required(ctx);
        long id = id(ctx);
        JsonNode present = JsonBodies.object(ctx);
        MeetingValidation.Fields fields = MeetingValidation.forEdit(JsonBodies.convert(present, MeetingRequest.class), present::has);
        if (!meetings.update(id, fields)) throw MeetingRepository.noMeeting(id);
        ctx.json(meeting(id, user));
    }

    /** POST /api/meetings/{id}/decisions {text, problemId?}: 201 with the meeting's decision, or 200 for a retry. */
    public void addDecision(Context ctx) {
        User user = access.required(ctx);
        long meetingId = id(ctx);
        String key = key(ctx);
        DecisionRequest body = JsonBodies.convert(JsonBodies.object(ctx), DecisionRequest.class);
        // the meeting is part of what a key stands for: the same decision for another meeting is another request
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("meeting", meetingId);
        canonical.put("text", body.text());
        canonical.put("problemId", body.problemId());
        byte[] hash = key == null ? null : IdempotencyKey.requestHash(canonical);
        if (key != null && replayedDecision(ctx, user, meetingId, key, hash)) return;
        String text = MeetingValidation.decisionText(body);
        OptionalLong id = meetings.addDecision(meetingId, text, body.problemId(), user.id(), key, hash);
        if (id.isEmpty()) {
            if (!replayedDecision(ctx, user, meetingId, key, hash)) throw new IllegalStateException("a lost idempotency key");
            return;
        }
        ctx.status(HttpStatus.CREATED).header("Location", location(meetingId)).json(decision(meetingId, id.getAsLong(), user));
    }

    /** GET /api/meetings/{id}/briefing?format=json|html|pdf&from=&to= */
    public void briefing(Context ctx) throws java.io.IOException {
        User user = access.required(ctx);
        long id = id(ctx);
        String format = QueryParams.choice(ctx, "format", "json", List.of("json", "html", "pdf"));
        LocalDate from = QueryParams.date(ctx, "from");
        LocalDate to = QueryParams.date(ctx, "to");
        Briefing briefing = briefings.briefing(id, from, to, user);
        ctx.header("Cache-Control", "private, no-store");
        switch (format) {
            case "html" -> ctx.contentType("text/html; charset=utf-8").result(BriefingHtml.render(briefing));
            case "pdf" -> {
                byte[] pdf = BriefingPdf.render(BriefingHtml.render(briefing));
                ctx.header("Content-Disposition", "inline; filename=\"aim-briefing-" + briefing.meeting().heldOn() + ".pdf\"");
                ctx.contentType("application/pdf").result(pdf);
            }
            default -> ctx.json(briefing);
        }
    }

    private boolean replayed(Context ctx, User user, String kind, String key, byte[] hash) {
        Optional<MeetingRepository.Idempotent> earlier = meetings.idempotent(user.id(), kind, key);
        if (earlier.isEmpty()) return false;
        requireSameBody(hash, earlier.get());
        long id = earlier.get().resourceId();
        ctx.header("Idempotent-Replayed", "true").header("Location", location(id)).json(meeting(id, user));
        return true;
    }

    private boolean replayedDecision(Context ctx, User user, long meetingId, String key, byte[] hash) {
        Optional<MeetingRepository.Idempotent> earlier = meetings.idempotent(user.id(), MeetingRepository.DECISION, key);
        if (earlier.isEmpty()) return false;
        requireSameBody(hash, earlier.get());
        ctx.header("Idempotent-Replayed", "true").header("Location", location(meetingId))
                .json(decision(meetingId, earlier.get().resourceId(), user));
        return true;
    }

    private static void requireSameBody(byte[] hash, MeetingRepository.Idempotent earlier) {
        if (!MessageDigest.isEqual(hash, earlier.requestHash())) {
            throw DomainException.rejected(IdempotencyKey.HEADER, "this Idempotency-Key was already used for a different "
                    + "request; send a new key for a new one, or the same body to retry", null);
        }
    }

    private Meeting meeting(long id, User user) {
        return meetings.find(id, user).orElseThrow(() -> MeetingRepository.noMeeting(id));
    }

    private Meeting.Decision decision(long meetingId, long decisionId, User user) {
        return meeting(meetingId, user).decisions().stream().filter(d -> d.id() == decisionId).findFirst()
                .orElseThrow(() -> DomainException.notFound("id", "the decision is gone"));
    }

    /** The optional Idempotency-Key header (checked when present), or null. */
    private static String key(Context ctx) {
        String header = ctx.header(IdempotencyKey.HEADER);
        return header == null ? null : IdempotencyKey.check(header);
    }

    private static long id(Context ctx) {
        return ctx.pathParamAsClass("id", Long.class).get();
    }

    private static String location(long id) {
        return "/api/meetings/" + id;
    }
}

package aim.reports;

import aim.core.IdempotencyKey;
import aim.core.Council;
import aim.core.DomainException;
import aim.web.AccessControl;
import aim.accounts.User;
import aim.web.JsonBodies;
import aim.web.QueryParams;
import aim.web.Uploads;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * HTTP endpoints of warden reports: create (idempotent), read, edit, status, history, photos and
 * "my reports today". Parses and checks the request, asks the repository, writes the JSON of
 * {@link ReportView}. Locations in requests and responses are WGS84 degrees.
 */
public final class ReportController {
    /** "Today" for the phone's list is the day in the council's time zone. */
    public static final ZoneId ZONE = Council.UK;
    /** The most reports "mine" returns for one day. */
    public static final int MAX_MINE = 500;

    private final ReportRepository reports;
    private final PhotoStore photos;
    private final PhotoProcessor processor = new PhotoProcessor();
    private final AccessControl access;
    private final ObjectMapper json;
    private final Clock clock;

    /** {@code clock} says what "now" is (a report may not occur in the future) and which day is "today". */
    public ReportController(ReportRepository reports, PhotoStore photos, AccessControl access, ObjectMapper json, Clock clock) {
        this.reports = reports;
        this.photos = photos;
        this.access = access;
        this.json = json;
        this.clock = clock;
    }

    /** POST /api/reports with an Idempotency-Key header: 201 for a new report, 200 for a replay. */
    public void create(Context ctx) throws IOException {
        User user = access.required(ctx);
        String key = IdempotencyKey.check(ctx.header(IdempotencyKey.HEADER));
        ReportRequest body = JsonBodies.convert(JsonBodies.object(ctx), ReportRequest.class);
        byte[] hash = IdempotencyKey.requestHash(body);
        Optional<ReportRepository.Idempotent> earlier = reports.idempotent(user.id(), key);
        if (earlier.isPresent()) {
            replay(ctx, user, hash, earlier.get());
            return;
        }
        ReportFields fields = ReportValidation.forCreate(body, reports.taxonomy(), clock.instant());
        if (!reports.insideCouncilArea(fields.lon(), fields.lat())) throw ReportRepository.outsideCouncilArea();
        OptionalLong id = reports.create(fields, user.id(), key, hash);
        if (id.isEmpty()) {
            // a concurrent request with this key committed first: answer as its retry
            replay(ctx, user, hash, reports.idempotent(user.id(), key).orElseThrow(
                    () -> new IllegalStateException("a duplicate report without its idempotency key")));
            return;
        }
        Report report = reports.find(id.getAsLong()).orElseThrow();
        ctx.status(HttpStatus.CREATED).header("Location", location(report.id())).json(ReportView.json(report, user));
    }

    private void replay(Context ctx, User user, byte[] hash, ReportRepository.Idempotent earlier) {
        if (!MessageDigest.isEqual(hash, earlier.requestHash())) {
            throw DomainException.rejected(IdempotencyKey.HEADER, "this Idempotency-Key was already used for a different "
                    + "report; send a new key for a new report, or the same body to retry", null);
        }
        Report report = reports.find(earlier.reportId()).orElseThrow(() -> DomainException.notFound("id", "the report is gone"));
        ctx.header("Idempotent-Replayed", "true").header("Location", location(report.id())).json(ReportView.json(report, user));
    }

    /** GET /api/reports/{id} */
    public void one(Context ctx) {
        User user = access.required(ctx);
        ctx.json(ReportView.json(visible(user, id(ctx)), user));
    }

    /** GET /api/reports/mine?date=YYYY-MM-DD: the caller's reports recorded that day (Europe/London), newest first. */
    public void mine(Context ctx) {
        User user = access.required(ctx);
        LocalDate date = QueryParams.date(ctx, "date");
        LocalDate day = date != null ? date : LocalDate.now(clock.withZone(ZONE));
        ctx.json(reports.recordedOn(user.id(), day, ZONE, MAX_MINE).stream().map(r -> ReportView.json(r, user)).toList());
    }

    /** PATCH /api/reports/{id}/status {status, assignedTo, note} */
    public void changeStatus(Context ctx) throws IOException {
        User user = access.required(ctx);
        long id = id(ctx);
        StatusChange body = JsonBodies.convert(JsonBodies.object(ctx), StatusChange.class);
        String to = body.status() == null ? null : body.status().strip();
        String assignedTo = ReportValidation.statusText(body.assignedTo(), "assignedTo");
        String note = ReportValidation.statusText(body.note(), "note");
        Report after = reports.changeStatus(id, user.id(), current -> {
            requireMayChange(user, current);
            return StatusWorkflow.update(current, to, assignedTo, note);
        }).orElseThrow(() -> noReport(id));
        ctx.json(ReportView.json(after, user));
    }

    /** PATCH /api/reports/{id}: the fields present change; the point, if moved, is checked again. */
    public void edit(Context ctx) throws IOException {
        User user = access.required(ctx);
        long id = id(ctx);
        JsonNode present = JsonBodies.object(ctx);
        ReportRequest patch = JsonBodies.convert(present, ReportRequest.class);
        var taxonomy = reports.taxonomy();
        boolean locationGiven = present.has("lon") || present.has("lat");
        Report after = reports.edit(id, user.id(), locationGiven, current -> {
            requireMayChange(user, current);
            return ReportValidation.forEdit(current, patch, present, taxonomy, clock.instant());
        }).orElseThrow(() -> noReport(id));
        ctx.json(ReportView.json(after, user));
    }

    /** GET /api/reports/{id}/history: the events, oldest first. */
    public void history(Context ctx) {
        User user = access.required(ctx);
        Report report = visible(user, id(ctx));
        ctx.json(reports.history(report.id()).stream().map(e -> ReportView.event(e, report, user)).toList());
    }

    /** POST /api/reports/{id}/photos, multipart part "photo": 201 for a new photo, 200 when the same image is already there. */
    public void addPhoto(Context ctx) {
        User user = access.required(ctx);
        Report report = visible(user, id(ctx));
        if (!ReportView.mayChange(user, report)) {
            throw DomainException.forbidden("id", "only the reporter, analysts and admins may add photos to a report");
        }
        PhotoProcessor.Processed processed = processor.process(upload(ctx));
        PhotoStore.Added added = photos.add(report.id(), processed, user.id());
        Map<String, Object> body = ReportView.photo(report.id(), added.photo());
        ctx.header("Location", (String) body.get("url"));
        if (added.created()) ctx.status(HttpStatus.CREATED);
        else ctx.header("Idempotent-Replayed", "true");
        ctx.json(body);
    }

    /** GET /api/reports/{id}/photos/{photoId}[?original=true]: the copy without metadata, or the original (uploader, admins). */
    public void photo(Context ctx) {
        User user = access.required(ctx);
        Report report = visible(user, id(ctx));
        long photoId = ctx.pathParamAsClass("photoId", Long.class).get();
        boolean original = QueryParams.bool(ctx, "original", false);
        if (!ReportView.maySeePhotos(user, report)) {
            throw DomainException.forbidden("photoId", "photos of sensitive reports are for analysts, admins and the reporter");
        }
        Report.Photo photo = report.photos().stream().filter(p -> p.id() == photoId).findFirst()
                .orElseThrow(() -> DomainException.notFound("photoId", "report " + report.id() + " has no photo " + photoId));
        if (original && !ReportView.maySeeOriginal(user, photo)) {
            throw DomainException.forbidden("original", "only the uploader and admins may see a photo's original");
        }
        PhotoStore.Image image = photos.image(report.id(), photoId, original)
                .orElseThrow(() -> DomainException.notFound("photoId", "report " + report.id() + " has no photo " + photoId));
        ctx.header("Cache-Control", "private, max-age=86400");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.contentType(image.contentType()).result(image.bytes());
    }

    /** The bytes of the multipart part "photo" (at most {@link PhotoProcessor#MAX_BYTES}). */
    private static byte[] upload(Context ctx) {
        if (!Uploads.isMultipart(ctx)) {
            throw DomainException.unsupportedType("photo", "send the photo as multipart/form-data in a part named 'photo'");
        }
        UploadedFile file = Uploads.part(ctx, "photo", PhotoProcessor.MAX_BYTES);
        if (file.size() > PhotoProcessor.MAX_BYTES) throw PhotoProcessor.tooLarge();
        try (InputStream in = file.content()) {
            byte[] bytes = in.readNBytes(PhotoProcessor.MAX_BYTES + 1);
            if (bytes.length > PhotoProcessor.MAX_BYTES) throw PhotoProcessor.tooLarge();
            return bytes;
        } catch (IOException e) {
            throw DomainException.invalid("photo", "the upload could not be read: " + e.getMessage());
        }
    }

    private Report visible(User user, long id) {
        Report report = reports.find(id).orElseThrow(() -> noReport(id));
        if (!ReportView.maySee(user, report)) {
            throw DomainException.forbidden("id", "wardens may only see the reports they recorded");
        }
        return report;
    }

    private static void requireMayChange(User user, Report report) {
        if (!ReportView.mayChange(user, report)) {
            throw DomainException.forbidden("id", "only analysts, admins and the warden who recorded it may change a report");
        }
    }

    private static DomainException noReport(long id) {
        return DomainException.notFound("id", "no report " + id);
    }

    private static long id(Context ctx) {
        return ctx.pathParamAsClass("id", Long.class).get();
    }

    private static String location(long id) {
        return "/api/reports/" + id;
    }
}

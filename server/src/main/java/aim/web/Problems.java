package aim.web;

import aim.core.DomainException;
import aim.db.DatabaseRouter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one error path: every exception and every error status becomes an RFC 9457 problem
 * ({@code application/problem+json}) with {@code type}, {@code title}, {@code status},
 * {@code detail} and, for a client's mistake, the {@code field} at fault.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static void register(Javalin app, ObjectMapper json) {
        app.exception(DomainException.class, (e, ctx) -> domain(ctx, json, e));
        app.exception(ValidationException.class, (e, ctx) -> {
            // Javalin's validators: report the first failing parameter by name
            var first = e.getErrors().entrySet().iterator().next();
            String reason = first.getValue().isEmpty() ? "invalid value" : describe(first.getValue().get(0));
            write(ctx, json, 400, "Bad Request", first.getKey() + ": " + reason, first.getKey(), List.of());
        });
        app.exception(com.fasterxml.jackson.core.JsonProcessingException.class, (e, ctx) -> {
            var problem = aim.core.Json.invalid(e);
            write(ctx, json, status(problem), titleFor(status(problem)), problem.getMessage(), problem.field(), List.of());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> {
            String field = e.getDetails().get("field");
            String detail = e.getMessage();
            if (e.getStatus() == 405) {
                String allow = allowed(e.getDetails());
                ctx.header("Allow", allow);
                detail = ctx.method() + " is not allowed on " + ctx.path() + "; allowed: " + allow;
            }
            write(ctx, json, e.getStatus(), titleFor(e.getStatus()), detail, field, List.of());
        });
        app.exception(Exception.class, (e, ctx) -> {
            if (RequestAdmission.poolExhausted(e)) {
                // every database connection stayed busy for the whole wait: overload, not a bug
                ctx.header("Retry-After", String.valueOf(RequestAdmission.RETRY_AFTER_SECONDS));
                write(ctx, json, 503, "Service Unavailable", "the server is busy: no database connection freed in time; retry later", null, List.of());
                return;
            }
            if (DatabaseRouter.cancelled(e)) {
                // a statement ran past the timeout of its request class (or its client went away): the database
                // is overloaded or the question too large, not a bug
                Integer limit = ctx.attribute(STATEMENT_TIMEOUT_ATTRIBUTE);
                ctx.header("Retry-After", String.valueOf(STATEMENT_RETRY_AFTER_SECONDS));
                domain(ctx, json, DomainException.unavailable(null, ctx.method() + " " + ctx.path()
                        + " was stopped: a database statement ran longer than the "
                        + (limit == null ? "" : limit + " ms ") + "this kind of request may take; retry after "
                        + STATEMENT_RETRY_AFTER_SECONDS + " s, or ask for less (a smaller area, window or page)"));
                return;
            }
            if (DatabaseRouter.connectionLost(e)) {
                // a database server stopped or failed over under the request; the next one gets a working connection
                log.warn("database connection lost on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                domain(ctx, json, DomainException.unavailable(null, ctx.method() + " " + ctx.path()
                        + " lost its database connection (a server restarting or failing over); retry"));
                return;
            }
            if (DatabaseRouter.rolledBackForConflict(e)) {
                // two transactions waited on each other and the database rolled this one back whole
                log.warn("transaction rolled back for a conflict on {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.header("Retry-After", "1");
                domain(ctx, json, DomainException.unavailable(null, ctx.method() + " " + ctx.path()
                        + " met another change at the same moment (a deadlock) and was rolled back: nothing was kept; retry"));
                return;
            }
            log.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, json, 500, "Internal Server Error", "An unexpected error occurred; it has been logged.", null, List.of());
        });
        // statuses set without an exception (e.g. an unknown route) get the same body
        app.error(404, ctx -> {
            if (!isProblem(ctx)) write(ctx, json, 404, "Not Found", "No resource at " + ctx.path(), null, List.of());
        });
        app.error(405, ctx -> {
            if (!isProblem(ctx)) write(ctx, json, 405, "Method Not Allowed", ctx.method() + " is not allowed on " + ctx.path(), null, List.of());
        });
    }

    /** The request's statement timeout in milliseconds, as a context attribute (set where the request's database work is opened). */
    static final String STATEMENT_TIMEOUT_ATTRIBUTE = "aim.statementTimeoutMs";
    /** Seconds a client whose request ran out of database time is asked to wait: retrying at once repeats the load. */
    static final int STATEMENT_RETRY_AFTER_SECONDS = 30;

    private static void domain(Context ctx, ObjectMapper json, DomainException e) {
        int status = status(e);
        if (status == 503 && ctx.res().getHeader("Retry-After") == null) {
            ctx.header("Retry-After", String.valueOf(RequestAdmission.RETRY_AFTER_SECONDS));
        }
        write(ctx, json, status, titleFor(status), e.getMessage(), e.field(), e.issues());
    }

    /** Javalin's built-in messages are codes; say what they mean. */
    private static String describe(io.javalin.validation.ValidationError<?> error) {
        return switch (error.getMessage()) {
            case "TYPE_CONVERSION_FAILED" -> "'" + error.getValue() + "' is not a valid value here";
            case "NULLCHECK_FAILED" -> "a value is required";
            default -> error.getMessage();
        };
    }

    /** The methods Javalin found for the path (its 405 details), with HEAD wherever GET is. */
    private static String allowed(Map<String, String> details) {
        String methods = details.getOrDefault("availableMethods", details.getOrDefault("Available methods", ""));
        List<String> allow = new java.util.ArrayList<>(java.util.Arrays.stream(methods.split(","))
                .map(String::trim).filter(m -> !m.isEmpty()).toList());
        if (allow.contains("GET") && !allow.contains("HEAD")) allow.add(allow.indexOf("GET") + 1, "HEAD");
        return String.join(", ", allow);
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/problem+json");
    }

    private static void write(Context ctx, ObjectMapper json, int status, String title, String detail, String field, List<?> issues) {
        // a body refused for its size is not read on: close the connection rather than drain what the client still sends
        if (status == 413) ctx.header("Connection", "close");
        try {
            ctx.status(status).contentType(CONTENT_TYPE).result(json.writeValueAsBytes(body(status, title, detail, field, issues)));
        } catch (Exception e) {
            ctx.status(500).result("{\"title\":\"Internal Server Error\",\"status\":500}");
        }
    }

    /** Problem bodies are UTF-8 JSON, and say so. */
    static final String CONTENT_TYPE = "application/problem+json; charset=utf-8";

    static Map<String, Object> body(int status, String title, String detail, String field, List<?> issues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) body.put("field", field);
        if (!issues.isEmpty()) body.put("issues", issues);
        return body;
    }

    /** The HTTP status of a domain failure: the one place where kinds of failure meet HTTP. */
    public static int status(DomainException e) {
        return switch (e.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case PRECONDITION_FAILED -> 412;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_TYPE -> 415;
            case REJECTED -> 422;
            case TOO_MANY_ATTEMPTS -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}

package aim.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JettyConfig;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Errors that Jetty answers before a request reaches the app (a URI it cannot decode, 414 URI too long,
 * 431 headers too large, a malformed request line) get the same RFC 9457 problem body as the app's own
 * errors, instead of Jetty's HTML page.
 */
final class ServerProblems extends ErrorHandler {
    private final ObjectMapper json;

    private ServerProblems(ObjectMapper json) {
        this.json = json;
    }

    static void install(JettyConfig jetty, ObjectMapper json) {
        jetty.modifyServer(server -> server.setErrorHandler(new ServerProblems(json)));
        jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ServerProblems(json)));
    }

    /** Requests Jetty rejects while parsing them, before there is a request object. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        SecurityHeaders.ERROR_HEADERS.forEach(fields::put);
        return ByteBuffer.wrap(problem(status, reason));
    }

    /** Errors raised inside Jetty's handling of a parsed request. */
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        byte[] body = problem(code, message);
        response.setContentType(Problems.CONTENT_TYPE);
        SecurityHeaders.ERROR_HEADERS.forEach(response::setHeader);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Every method gets the body, not only GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    private byte[] problem(int status, String reason) {
        String detail = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        try {
            return json.writeValueAsBytes(Problems.body(status, Problems.titleFor(status), detail, null, List.of()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

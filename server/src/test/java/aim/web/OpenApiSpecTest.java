package aim.web;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged API description ({@code openapi.json}, served at {@code /api/openapi.json} and browsed at
 * {@code /api/docs}) is a valid OpenAPI 3.0 document by a maintained parser (swagger-parser): every
 * message it reports, error or warning (an unexpected or missing attribute, a $ref to nothing, a bad
 * type), fails this test. {@link ApiResponsesTest} checks real responses against it.
 */
class OpenApiSpecTest {

    /** The spec's text as the jar serves it. */
    static String specText() throws IOException {
        try (InputStream in = OpenApiSpecTest.class.getResourceAsStream("/openapi.json")) {
            assertNotNull(in, "openapi.json on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The spec parsed with every $ref resolved (swagger-parser's model). */
    static SwaggerParseResult parse() throws IOException {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(specText(), null, options);
    }

    @Test
    void swaggerParserReportsNothing() throws IOException {
        SwaggerParseResult result = parse();
        assertNotNull(result.getOpenAPI(), "parsed: " + result.getMessages());
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(),
                "swagger-parser's messages on openapi.json:\n  " + String.join("\n  ", result.getMessages()));
        assertEquals("3.0.3", result.getOpenAPI().getOpenapi());
    }
}

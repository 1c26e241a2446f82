package aim.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web map as packaged into the jar (classpath {@code /public}, built by web-map/build.mjs) carries
 * no source maps: no {@code .map} files and no {@code sourceMappingURL} comments, unless AIM_SOURCEMAPS=1.
 */
class PackagedWebMapTest {

    @Test
    void noSourceMapsInThePackagedWebMap() throws Exception {
        if ("1".equals(System.getenv("AIM_SOURCEMAPS"))) return; // asked for: a development build
        Path root = Path.of(PackagedWebMapTest.class.getResource("/public/index.html").toURI()).getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("app.js")), "the map is built: " + files);
        assertEquals(List.of(), files.stream().filter(f -> f.toString().endsWith(".map")).toList(), "source map files");
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!(name.endsWith(".js") || name.endsWith(".css") || name.endsWith(".html"))) continue;
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertFalse(text.contains("sourceMappingURL"), f + " names a source map");
        }
    }
}

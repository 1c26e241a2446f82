package aim.web;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web map as packaged into the jar (classpath {@code /public}, built by web-map/build.mjs) carries
 * no source maps: no {@code .map} files and no {@code sourceMappingURL} comments, unless AIM_SOURCEMAPS=1;
 * and no test hooks ({@code window.aim*}): only the test build on the test classpath has them.
 */
class PackagedWebMapTest {

    /** Every {@code public/} folder on the classpath: the jar's, and the test build's ahead of it. */
    private static List<Path> publicRoots() throws Exception {
        List<Path> roots = new ArrayList<>();
        for (var url : Collections.list(PackagedWebMapTest.class.getClassLoader().getResources("public/index.html"))) {
            roots.add(Path.of(url.toURI()).getParent());
        }
        assertFalse(roots.isEmpty(), "no public/index.html on the classpath");
        return roots;
    }

    /** The jar's {@code public/}: beside the main classes. */
    private static Path packagedRoot() throws Exception {
        return Path.of(App.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("public");
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void noTestHooksInThePackagedWebMap() throws Exception {
        Pattern hook = Pattern.compile("\\baim(Map|Ready|Error|Incidents|Hotspots|Assets|Report|Problems|Actions|Meetings)\\b|AIM_TEST_HOOKS");
        List<Path> files = filesUnder(packagedRoot());
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().matches("app-[A-Z0-9]{8}\\.js")), "the map is built: " + files);
        for (Path f : files) {
            if (!f.getFileName().toString().endsWith(".js")) continue;
            assertFalse(hook.matcher(Files.readString(f, StandardCharsets.UTF_8)).find(), f + " has a test hook");
        }
    }

    @Test
    void noSourceMapsInThePackagedWebMap() throws Exception {
        if ("1".equals(System.getenv("AIM_SOURCEMAPS"))) return; // asked for: a development build
        for (Path root : publicRoots()) noSourceMapsUnder(root);
    }

    private static void noSourceMapsUnder(Path root) throws Exception {
        List<Path> files = filesUnder(root);
        assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().matches("app-[A-Z0-9]{8}\\.js")), "the map is built: " + files);
        assertEquals(List.of(), files.stream().filter(f -> f.toString().endsWith(".map")).toList(), "source map files");
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!(name.endsWith(".js") || name.endsWith(".css") || name.endsWith(".html"))) continue;
            String text = Files.readString(f, StandardCharsets.UTF_8);
            assertFalse(text.contains("sourceMappingURL"), f + " names a source map");
        }
    }
}

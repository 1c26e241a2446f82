package aim.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * The README's screenshots, made by the browser tests so they stay current: {@link #save} writes NAME.png into the
 * folder named by the system property or environment variable {@code AIM_SCREENSHOTS}, and does nothing when
 * neither is set (an ordinary test run writes nothing). The picture is the viewport at one image pixel per CSS
 * pixel (a phone's 390 × 844, not its 3× device pixels), so the files stay small.
 */
public final class Screenshots {
    public static final String FOLDER = "AIM_SCREENSHOTS";

    private Screenshots() {
    }

    /** The folder to write into, or null when screenshots are not asked for. */
    public static Path folder() {
        String dir = System.getProperty(FOLDER);
        if (dir == null || dir.isBlank()) dir = System.getenv(FOLDER);
        return dir == null || dir.isBlank() ? null : Path.of(dir);
    }

    /** The browser's viewport as {@code name}.png in the screenshot folder, when one is set. */
    public static void save(Browser browser, String name) {
        Path dir = folder();
        if (dir == null) return;
        @SuppressWarnings("unchecked")
        Map<String, Number> view = (Map<String, Number>) browser.js(
                "return {x: window.scrollX, y: window.scrollY, width: window.innerWidth, height: window.innerHeight,"
                        + " ratio: window.devicePixelRatio};");
        double ratio = view.get("ratio").doubleValue();
        Map<String, Object> clip = Map.of("x", view.get("x"), "y", view.get("y"), "width", view.get("width"), "height", view.get("height"),
                "scale", 1 / ratio);
        Map<String, Object> shot = browser.driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png", "clip", clip));
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package aim.testing;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Pause;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Headless Debian Chromium driven by the Debian chromedriver, never anything downloaded: the driver
 * executable is given explicitly, so Selenium Manager is not consulted. A fresh profile per browser,
 * deleted on {@link #close()}. Missing binaries fail the test (they are a requirement, not optional).
 */
public final class Browser implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /**
     * Selenium 4.27 has no DevTools (CDP) bindings for newer Chromium and warns about it on every start; the tests
     * use plain WebDriver only. Strong references: java.util.logging forgets levels of collected loggers.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
    }

    public final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;
    private final List<LogEntry> console = new java.util.ArrayList<>();
    /** true for a touch phone (taps), false for a desktop (mouse clicks) */
    public final boolean touch;

    /** A desktop window whose viewport is {@code width} × {@code height} CSS pixels. */
    public static Browser desktop(int width, int height) {
        Browser browser = new Browser(null);
        browser.setViewport(width, height);
        return browser;
    }

    /** An emulated touch phone with a {@code width} × {@code height} CSS-pixel viewport. */
    public static Browser phone(int width, int height) {
        return new Browser(Map.of(
                "deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 3.0, "touch", true, "mobile", true),
                "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/126.0.0.0 Mobile Safari/537.36"));
    }

    private Browser(Map<String, Object> mobileEmulation) {
        requireExecutable(CHROMIUM);
        requireExecutable(CHROMEDRIVER);
        // Only read by Selenium Manager (never started here, the driver path is explicit); harmless belt and braces.
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        try {
            profile = Files.createTempDirectory("aim-chromium-profile-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a browser profile directory", e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--user-data-dir=" + profile.toAbsolutePath());
        if (mobileEmulation != null) options.setExperimentalOption("mobileEmulation", mobileEmulation);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteRecursively(profile);
            throw e;
        }
        driver = started;
        touch = mobileEmulation != null;
    }

    private static void requireExecutable(Path file) {
        if (!Files.isExecutable(file)) {
            throw new AssertionError(file + " is missing: install chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver) to run the browser tests");
        }
    }

    /** Sizes the window so that the page viewport (innerWidth × innerHeight) is exactly the given size. */
    private void setViewport(int width, int height) {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, height));
        for (int attempt = 0; attempt < 3; attempt++) {
            List<?> inner = (List<?>) js("return [window.innerWidth, window.innerHeight];");
            int dw = width - ((Number) inner.get(0)).intValue();
            int dh = height - ((Number) inner.get(1)).intValue();
            if (dw == 0 && dh == 0) return;
            var outer = driver.manage().window().getSize();
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(outer.width + dw, outer.height + dh));
        }
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public <T> T waitUntil(Duration timeout, String what, Function<ChromeDriver, T> condition) {
        // an element redrawn between finding it and reading it is stale: that try does not count, the next one reads again
        return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage(what)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> condition.apply(driver));
    }

    /**
     * A real click (mouse) or tap (touch phone) at viewport coordinates: goes through the browser's input
     * pipeline, so whatever element is on top at that point receives it.
     */
    public void clickAt(int x, int y) {
        PointerInput pointer = new PointerInput(touch ? PointerInput.Kind.TOUCH : PointerInput.Kind.MOUSE,
                touch ? "finger" : "mouse");
        Sequence click = new Sequence(pointer, 0)
                .addAction(pointer.createPointerMove(Duration.ZERO, PointerInput.Origin.viewport(), x, y))
                .addAction(new Pause(pointer, Duration.ofMillis(50)))
                .addAction(pointer.createPointerDown(PointerInput.MouseButton.LEFT.asArg()))
                .addAction(new Pause(pointer, Duration.ofMillis(50)))
                .addAction(pointer.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
        driver.perform(List.of(click));
    }

    /**
     * Cuts the page's network (true) or restores it (false), as DevTools' "Offline" does, with the
     * CDP command Network.emulateNetworkConditions (sent through chromedriver; no Selenium DevTools
     * bindings needed). The page sees navigator.onLine change and the online/offline events.
     */
    public void offline(boolean offline) {
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of(
                "offline", offline, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
    }

    /** Grants the page's origin the geolocation permission and reports this GPS fix to it (WGS84 degrees, metres). */
    public void geolocation(String origin, double latitude, double longitude, double accuracyMetres) {
        driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin, "permissions", List.of("geolocation")));
        driver.executeCdpCommand("Emulation.setGeolocationOverride",
                Map.of("latitude", latitude, "longitude", longitude, "accuracy", accuracyMetres));
    }

    /**
     * Signs in through AIM's log-in page ({@code origin} + /login/?next=...) by typing into its form,
     * and waits until the page has gone on to {@code nextPath}.
     */
    public void logIn(String origin, String username, String password, String nextPath) {
        driver.get(origin + "/login/?next=" + java.net.URLEncoder.encode(nextPath, java.nio.charset.StandardCharsets.UTF_8));
        waitUntil(Duration.ofSeconds(10), "the log-in form", d -> d.findElements(org.openqa.selenium.By.id("login-form")).isEmpty() ? null : true);
        driver.findElement(org.openqa.selenium.By.id("username")).sendKeys(username);
        driver.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.id("login-submit")).click();
        try {
            waitUntil(Duration.ofSeconds(10), "arrived at " + nextPath,
                    d -> java.net.URI.create(d.getCurrentUrl()).getPath().equals(java.net.URI.create(nextPath).getPath()) ? true : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            var error = driver.findElements(org.openqa.selenium.By.id("login-error"));
            throw new AssertionError("log-in as " + username + " did not reach " + nextPath + " (at " + driver.getCurrentUrl()
                    + "; error shown: " + (error.isEmpty() ? "none" : error.get(0).getText()) + ")", e);
        }
    }

    /** Runs an asynchronous script: it gets a callback as its last argument and must call it with the result. */
    public Object jsAsync(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
    }

    /** The viewport centre {x, y} of an element once it has stopped moving (e.g. markers animated into place). */
    @SuppressWarnings("unchecked")
    public Map<String, Number> settledCentre(org.openqa.selenium.WebElement element) {
        String script = "const r = arguments[0].getBoundingClientRect();"
                + " return {x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2)};";
        Object[] last = {null};
        return waitUntil(Duration.ofSeconds(10), "the element to stop moving", d -> {
            Map<String, Number> now = (Map<String, Number>) js(script, element);
            if (now.equals(last[0])) return now;
            last[0] = now;
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
    }

    /** The browser console so far (for assertions and failure messages); reading the driver's log drains it, so it is kept here. */
    public List<LogEntry> console() {
        try {
            console.addAll(driver.manage().logs().get(LogType.BROWSER).getAll());
        } catch (RuntimeException e) {
            // no log available: report what was read before
        }
        return List.copyOf(console);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteRecursively(profile);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a leftover temporary profile is harmless
        }
    }
}

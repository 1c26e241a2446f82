package aim.meetings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A web map view URL: {@code /?lat=…&lon=…&z=…&layers=…&method=…&cell=…&from=…&to=…&category=…&ward=…&problem=…&evaluate=…}
 * (the query string of {@code /} holds the view; the map restores it on load). Values are URL-encoded.
 */
final class MapView {
    private final Map<String, String> params = new LinkedHashMap<>();

    static MapView at(double lat, double lon, int zoom) {
        MapView v = new MapView();
        v.params.put("lat", String.format(Locale.ROOT, "%.5f", lat));
        v.params.put("lon", String.format(Locale.ROOT, "%.5f", lon));
        v.params.put("z", Integer.toString(zoom));
        return v;
    }

    MapView with(String key, Object value) {
        if (value != null) params.put(key, value.toString());
        return this;
    }

    MapView window(LocalDate from, LocalDate to) {
        return with("from", from).with("to", to);
    }

    @Override
    public String toString() {
        StringBuilder url = new StringBuilder("/?");
        params.forEach((k, v) -> {
            if (url.length() > 2) url.append('&');
            // commas separate list values (layers, categories) and colons evaluate=action:ID; both stay readable
            url.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("%2C", ",").replace("%3A", ":"));
        });
        return url.toString();
    }
}

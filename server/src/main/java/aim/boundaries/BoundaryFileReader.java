package aim.boundaries;

import aim.core.DomainException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** A boundary file opened for reading: GeoJSON or GeoPackage, chosen by content. */
public interface BoundaryFileReader extends AutoCloseable {

    /** EPSG code of the file's coordinates (4326 for CRS84/WGS84, 27700 for British National Grid). */
    int srid();

    /** Attribute names available on the features. */
    List<String> fieldNames();

    /** Calls {@code consumer} for each feature in file order, without holding them all in memory. */
    void forEach(Consumer<SourceFeature> consumer) throws IOException;

    @Override
    void close() throws IOException;

    /**
     * Opens {@code file}; a GeoPackage is recognised by its SQLite header, anything else is read as
     * GeoJSON. {@code sridOverride} (may be null) replaces the CRS the file declares.
     */
    static BoundaryFileReader open(Path file, Integer sridOverride) throws IOException {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n == 16 && new String(head, 0, 15, java.nio.charset.StandardCharsets.US_ASCII).equals("SQLite format 3")) {
            return GeoPackageBoundaryReader.open(file, sridOverride);
        }
        return GeoJsonBoundaryReader.open(file, sridOverride);
    }

    /** Maps a CRS name or EPSG number as found in a file to one of the supported SRIDs. */
    static int supportedSrid(String crsName, String field) {
        String name = crsName.trim().toUpperCase(java.util.Locale.ROOT);
        if (name.endsWith("CRS84") || name.matches(".*EPSG:{1,2}4326$") || name.equals("4326")) return 4326;
        if (name.matches(".*EPSG:{1,2}27700$") || name.equals("27700")) return 27700;
        throw DomainException.rejected(field, "unsupported coordinate reference system '" + crsName
                + "': use CRS84/EPSG:4326 (longitude, latitude) or EPSG:27700 (British National Grid)", List.of());
    }
}

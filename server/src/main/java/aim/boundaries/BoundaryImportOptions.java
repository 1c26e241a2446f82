package aim.boundaries;

import java.time.LocalDate;

/**
 * How to import one boundary file. Null means "work it out": the version from the ONS field names
 * (e.g. {@code ons-2013}) or the file name, validity from today, fields by {@link OnsFieldNames},
 * the CRS from the file.
 */
public record BoundaryImportOptions(
        BoundaryLevel level,
        String version,
        LocalDate validFrom,
        LocalDate validTo,
        String codeField,
        String nameField,
        Integer srid,
        boolean replace,
        boolean demo,
        String attribution) {

    public static BoundaryImportOptions of(BoundaryLevel level) {
        return new BoundaryImportOptions(level, null, null, null, null, null, null, false, false, null);
    }

    public BoundaryImportOptions withVersion(String v) {
        return new BoundaryImportOptions(level, v, validFrom, validTo, codeField, nameField, srid, replace, demo, attribution);
    }

    public BoundaryImportOptions asDemo(String demoAttribution) {
        return new BoundaryImportOptions(level, version, validFrom, validTo, codeField, nameField, srid, replace, true, demoAttribution);
    }
}

package aim.areas;

import aim.core.DomainException;

/**
 * One square cell of a British National Grid (EPSG:27700) grid with its origin at 0,0: column
 * {@code i = floor(easting / size)}, row {@code j = floor(northing / size)}, so the cell holds
 * eastings in [i·size, (i+1)·size) and northings in [j·size, (j+1)·size), in metres. The hotspot
 * map's square cells are these, so a clicked cell's series counts the same incidents.
 */
public record AreaGridCell(long i, long j, int size) {
    public static final int DEFAULT_SIZE = 250, MIN_SIZE = 10, MAX_SIZE = 10_000;

    /**
     * Reads the request's {@code cell=i,j} and {@code cellSize} (metres, default 250); null without a cell.
     * Bad values are 400 problems naming {@code cell} or {@code cellSize}.
     */
    public static AreaGridCell parse(String cell, String cellSize) {
        if (cell == null || cell.isBlank()) {
            if (cellSize != null) throw DomainException.invalid("cell", "cellSize needs cell=i,j");
            return null;
        }
        String[] parts = cell.split(",");
        long i, j;
        try {
            if (parts.length != 2) throw new NumberFormatException();
            i = Long.parseLong(parts[0].trim());
            j = Long.parseLong(parts[1].trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalid("cell", "cell is i,j: the whole-number column and row of the grid"
                    + " (floor(easting / size), floor(northing / size)), not '" + cell + "'");
        }
        int size = DEFAULT_SIZE;
        if (cellSize != null && !cellSize.isBlank()) {
            try {
                size = Integer.parseInt(cellSize.trim());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < MIN_SIZE || size > MAX_SIZE) {
                throw DomainException.invalid("cellSize", "cellSize is a whole number of metres from " + MIN_SIZE + " to " + MAX_SIZE);
            }
        }
        // British National Grid covers 0–700 km east and 0–1300 km north
        if (i < 0 || j < 0 || (double) i * size >= 800_000 || (double) j * size >= 1_400_000) {
            throw DomainException.invalid("cell", "cell " + cell + " of " + size + " m lies outside British National Grid");
        }
        return new AreaGridCell(i, j, size);
    }

    public double minX() {
        return (double) i * size;
    }

    public double minY() {
        return (double) j * size;
    }

    public double maxX() {
        return minX() + size;
    }

    public double maxY() {
        return minY() + size;
    }
}

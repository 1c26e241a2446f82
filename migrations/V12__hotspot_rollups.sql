-- Hotspot rollups (issue 11): what the hotspot readers (aim.hotspots.CellRollups) need beyond V9's
-- cell_month_count to answer a map request in well under 200 ms.
--
-- 1. cell_month_total: the 50 m cell counts per month over every category and source, at the true point
--    (= the sum of cell_month_count's 'exact' rows of the key). An unfiltered request of a caller who sees
--    every incident exact (no Redaction) reads it: about half the rows of cell_month_count, fewer the more
--    categories an area has. It is kept by statement-level triggers on cell_month_count itself (transition
--    tables; an upsert fires the insert and the update trigger), so every path that keeps cell_month_count
--    (the V9/V10 incident triggers, rollup_rebuild, or any later import path writing cell_month_count) keeps
--    this table equal to it in the same transaction, and nothing new is hooked on incident.
-- 2. incident_cell50_idx: incidents by 50 m cell and time. A cell cut by the study area's outline is counted
--    from raw rows; this index reads just the window's rows of that cell instead of every row the cell ever
--    had (through the point index) or every row of the window (through the time index).

CREATE TABLE cell_month_total (
    month date    NOT NULL,
    i     integer NOT NULL,
    j     integer NOT NULL,
    n     integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (month, i, j)
);

INSERT INTO cell_month_total (month, i, j, n)
SELECT month, i, j, sum(n) FROM cell_month_count WHERE located_as = 'exact' GROUP BY 1, 2, 3;

-- Adds signed deltas (one entry per key) and drops rows that reach zero; in key order (no deadlocks).
CREATE FUNCTION cell_total_add(d_month date[], d_i integer[], d_j integer[], d_n bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF d_month IS NULL THEN RETURN; END IF;
    INSERT INTO cell_month_total AS t (month, i, j, n)
    SELECT m, i, j, n FROM unnest(d_month, d_i, d_j, d_n) AS d(m, i, j, n) WHERE n > 0 ORDER BY m, i, j
    ON CONFLICT (month, i, j) DO UPDATE SET n = t.n + excluded.n;
    -- decrements update (an INSERT would check n >= 0 on the proposed row before it meets the conflict)
    UPDATE cell_month_total t SET n = t.n + d.n
    FROM (SELECT * FROM unnest(d_month, d_i, d_j, d_n) AS d(m, i, j, n) WHERE n < 0 ORDER BY m, i, j) d
    WHERE t.month = d.m AND t.i = d.i AND t.j = d.j;
    DELETE FROM cell_month_total t
    USING unnest(d_month, d_i, d_j, d_n) AS d(m, i, j, n)
    WHERE d.n < 0 AND t.month = d.m AND t.i = d.i AND t.j = d.j AND t.n = 0;
END $$;

-- The change a statement made to cell_month_count's 'exact' rows, added to cell_month_total.
CREATE FUNCTION cell_total_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    m date[]; ci integer[]; cj integer[]; k bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- the import path: new keys only, added directly
        INSERT INTO cell_month_total AS t (month, i, j, n)
        SELECT month, i, j, sum(n) FROM new_rows WHERE located_as = 'exact' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (month, i, j) DO UPDATE SET n = t.n + excluded.n;
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(d.month), array_agg(d.i), array_agg(d.j), array_agg(d.n) INTO m, ci, cj, k
        FROM (SELECT x.month, x.i, x.j, sum(x.n) AS n
              FROM (SELECT month, i, j, n::bigint AS n FROM new_rows WHERE located_as = 'exact'
                    UNION ALL
                    SELECT month, i, j, -n FROM old_rows WHERE located_as = 'exact') x
              GROUP BY 1, 2, 3 HAVING sum(x.n) <> 0) d;
    ELSE
        SELECT array_agg(d.month), array_agg(d.i), array_agg(d.j), array_agg(d.n) INTO m, ci, cj, k
        FROM (SELECT month, i, j, -sum(n) AS n FROM old_rows WHERE located_as = 'exact' GROUP BY 1, 2, 3) d;
    END IF;
    PERFORM cell_total_add(m, ci, cj, k);
    RETURN NULL;
END $$;

CREATE TRIGGER cell_total_insert AFTER INSERT ON cell_month_count
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cell_total_change();
CREATE TRIGGER cell_total_update AFTER UPDATE ON cell_month_count
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cell_total_change();
CREATE TRIGGER cell_total_delete AFTER DELETE ON cell_month_count
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cell_total_change();

-- The same expressions as the readers' (CellRollups): i = floor(x / 50), j = floor(y / 50).
CREATE INDEX incident_cell50_idx ON incident ((floor(ST_X(geom) / 50)::integer), (floor(ST_Y(geom) / 50)::integer), occurred_at)
    WHERE geom IS NOT NULL;

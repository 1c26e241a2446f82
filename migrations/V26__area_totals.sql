-- Area totals (issue 11, "interactive at any scale": the statistics of every ward of England). The ward statistics
-- summed area_month_count's rows per (ward, month, category, source): many rows per ward and month, so a national
-- request grew with the number of categories and sources, not of wards.
--
-- area_month_total (boundary_id, month, n): the located incidents per area and month over every category and source,
-- at their TRUE point (= the sum of area_month_count's 'exact' rows of the key). A caller who sees every incident
-- exact and asks for every category and source (AreaRollupSql, by IncidentFilter.countsEveryIncidentExact) reads it for the
-- whole months of a per-ward count. Filtered and redacted callers read area_month_count as before.
--
-- Kept by statement-level triggers on area_month_count itself (transition tables; an upsert fires the insert and
-- the update trigger), as V12 keeps cell_month_total from cell_month_count: every path that keeps area_month_count
-- (the import statements, the incident update and delete triggers, rollup_rebuild, rollup_assign_set, retention)
-- keeps this table equal to it in the same transaction. Rows that reach zero are removed.

CREATE TABLE area_month_total (
    boundary_id bigint  NOT NULL,
    month       date    NOT NULL,
    n           integer NOT NULL CHECK (n >= 0),
    PRIMARY KEY (boundary_id, month)
);

INSERT INTO area_month_total (boundary_id, month, n)
SELECT boundary_id, month, sum(n) FROM area_month_count WHERE located_as = 'exact' GROUP BY 1, 2 ORDER BY 1, 2;

-- Adds signed deltas (one entry per key) and drops rows that reach zero; in key order (no deadlocks).
CREATE FUNCTION area_total_add(d_boundary bigint[], d_month date[], d_n bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF d_boundary IS NULL THEN RETURN; END IF;
    INSERT INTO area_month_total AS t (boundary_id, month, n)
    SELECT b, m, n FROM unnest(d_boundary, d_month, d_n) AS d(b, m, n) WHERE n > 0 ORDER BY b, m
    ON CONFLICT (boundary_id, month) DO UPDATE SET n = t.n + excluded.n;
    -- decrements update (an INSERT would check n >= 0 on the proposed row before it meets the conflict)
    UPDATE area_month_total t SET n = t.n + d.n
    FROM (SELECT * FROM unnest(d_boundary, d_month, d_n) AS d(b, m, n) WHERE n < 0 ORDER BY b, m) d
    WHERE t.boundary_id = d.b AND t.month = d.m;
    DELETE FROM area_month_total t
    USING unnest(d_boundary, d_month, d_n) AS d(b, m, n)
    WHERE d.n < 0 AND t.boundary_id = d.b AND t.month = d.m AND t.n = 0;
END $$;

-- The change a statement made to area_month_count's 'exact' rows, added to area_month_total.
CREATE FUNCTION area_total_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    b bigint[]; m date[]; k bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- the import path: mostly new keys, added directly
        INSERT INTO area_month_total AS t (boundary_id, month, n)
        SELECT boundary_id, month, sum(n) FROM new_rows WHERE located_as = 'exact' GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (boundary_id, month) DO UPDATE SET n = t.n + excluded.n;
        RETURN NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        SELECT array_agg(d.boundary_id), array_agg(d.month), array_agg(d.n) INTO b, m, k
        FROM (SELECT x.boundary_id, x.month, sum(x.n) AS n
              FROM (SELECT boundary_id, month, n::bigint AS n FROM new_rows WHERE located_as = 'exact'
                    UNION ALL
                    SELECT boundary_id, month, -n FROM old_rows WHERE located_as = 'exact') x
              GROUP BY 1, 2 HAVING sum(x.n) <> 0) d;
    ELSE
        SELECT array_agg(d.boundary_id), array_agg(d.month), array_agg(d.n) INTO b, m, k
        FROM (SELECT boundary_id, month, -sum(n) AS n FROM old_rows WHERE located_as = 'exact' GROUP BY 1, 2) d;
    END IF;
    PERFORM area_total_add(b, m, k);
    RETURN NULL;
END $$;

CREATE TRIGGER area_total_insert AFTER INSERT ON area_month_count
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION area_total_change();
CREATE TRIGGER area_total_update AFTER UPDATE ON area_month_count
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION area_total_change();
CREATE TRIGGER area_total_delete AFTER DELETE ON area_month_count
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION area_total_change();

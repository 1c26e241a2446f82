package aim.incidents;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Reads and checks an import's CSV on a thread of its own while the caller's thread formats the good rows
 * into the COPY stream (and the server parses that stream): on a machine with two cores the three overlap,
 * where one thread used to parse, then send, then parse again. Rows pass in batches through a small bounded
 * queue (a few thousand rows in memory at most) and keep their order. A failure of the reading thread (a
 * malformed file is a {@link aim.core.DomainException}) is rethrown here as it was thrown; a failure of the
 * sending side stops the reading thread.
 */
final class ReadAhead {
    private static final int BATCH = 1_000, BATCHES = 8;

    private ReadAhead() {
    }

    /**
     * Sends every row of {@code csv} that {@code convert} accepts to {@code staging}, in file order; returns the
     * reading thread's busy seconds (reading and checking). {@code convert} is only ever called on the reading
     * thread, and its state is visible to the caller once this returns.
     */
    static double send(IncidentImportCsv csv, IncidentImportStaging.RowConverter convert, IncidentImportStaging staging)
            throws IOException, SQLException {
        BlockingQueue<List<IncidentImportStaging.Incident>> queue = new ArrayBlockingQueue<>(BATCHES);
        FutureTask<Double> reader = new FutureTask<>(() -> {
            long busy = 0;
            List<IncidentImportStaging.Incident> batch = new ArrayList<>(BATCH);
            for (long t0 = System.nanoTime(); ; t0 = System.nanoTime()) {
                IncidentImportCsv.Row row = csv.next();
                IncidentImportStaging.Incident incident = row == null ? null : convert.read(row);
                busy += System.nanoTime() - t0;
                if (row == null) break;
                if (incident == null) continue;
                batch.add(incident);
                if (batch.size() == BATCH) {
                    queue.put(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!batch.isEmpty()) queue.put(batch);
            return busy / 1e9;
        });
        Thread thread = new Thread(reader, "incident import reader");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                List<IncidentImportStaging.Incident> batch = queue.poll(50, TimeUnit.MILLISECONDS);
                if (batch != null) {
                    for (IncidentImportStaging.Incident incident : batch) staging.add(incident);
                } else if (reader.isDone() && queue.isEmpty()) {
                    // done means every put has returned: nothing more can arrive
                    break;
                }
            }
            return reader.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("incident import interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            if (cause instanceof IOException io) throw io;
            throw new IllegalStateException("reading the import failed", cause);
        } finally {
            // a failed send (or this thread interrupted) stops the reader, which may be waiting for room in the queue
            reader.cancel(true);
        }
    }
}

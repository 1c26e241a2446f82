package aim.testing;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Concurrency tests: {@code n} requests released at the same moment on {@code n} threads. */
public final class AtOnce {
    private AtOnce() {
    }

    /** The i-th request (0 ≤ i &lt; n). */
    public interface Call {
        HttpResponse<String> run(int i) throws Exception;
    }

    /** Runs {@code n} calls at the same moment on {@code n} threads and returns their answers in order. */
    public static List<HttpResponse<String>> all(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<HttpResponse<String>> task = () -> {
                    go.await();
                    return call.run(k);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (var f : futures) answers.add(f.get(120, TimeUnit.SECONDS));
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}

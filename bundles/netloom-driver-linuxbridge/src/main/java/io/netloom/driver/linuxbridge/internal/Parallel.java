package io.netloom.driver.linuxbridge.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.netloom.api.driver.DriverException;

/**
 * Runs independent per-namespace work (reading a router namespace, loading its nftables rules, reading a port's
 * namespace end) on the driver's few threads: most of the time goes into waiting for {@code ip} and {@code nft}
 * processes, and namespaces do not share kernel locks for most of it, so a handful of threads shortens a pass
 * several times on a small machine without flooding it with processes.
 */
final class Parallel {

    /** Threads of the driver's pool: enough to overlap process start-up and kernel work on two cores. */
    static final int THREADS = 3;

    private Parallel() {
    }

    /**
     * @return a pool of {@link #THREADS} daemon threads
     */
    static ExecutorService newPool() {
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "netloom-linuxbridge-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Applies a function to every item, on the pool, and waits for all of them. Tasks must not wait for other
     * tasks of the same pool.
     *
     * @param pool the pool
     * @param items the items
     * @param function what to do with each; it may throw
     * @param <T> item type
     * @param <R> result type
     * @return the results, in the order of the items
     * @throws RuntimeException the first exception a task threw, once every task has ended
     */
    static <T, R> List<R> map(ExecutorService pool, Collection<T> items, Function<T, R> function) {
        if (items.size() <= 1) {
            List<R> results = new ArrayList<>();
            items.forEach(item -> results.add(function.apply(item)));
            return results;
        }
        return join(start(pool, items, function));
    }

    /**
     * Starts a function on every item, on the pool, without waiting: the caller does other work meanwhile, then
     * {@link #join}s. Tasks must not wait for other tasks of the same pool.
     *
     * @param pool the pool
     * @param items the items
     * @param function what to do with each; it may throw
     * @param <T> item type
     * @param <R> result type
     * @return the tasks, in the order of the items
     */
    static <T, R> List<Future<R>> start(ExecutorService pool, Collection<T> items, Function<T, R> function) {
        List<Future<R>> futures = new ArrayList<>();
        items.forEach(item -> futures.add(pool.submit(() -> function.apply(item))));
        return futures;
    }

    /**
     * Waits for every task.
     *
     * @param futures tasks from {@link #start}
     * @param <R> result type
     * @return their results, in order
     * @throws RuntimeException the first exception a task threw, once every task has ended
     */
    static <R> List<R> join(List<Future<R>> futures) {
        List<R> results = new ArrayList<>();
        RuntimeException failure = null;
        for (Future<R> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException(e.getCause().toString(), e.getCause());
                }
                results.add(null);
            } catch (InterruptedException e) {
                futures.forEach(other -> other.cancel(true));
                Thread.currentThread().interrupt();
                throw new DriverException("Interrupted while waiting for the kernel", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return results;
    }
}

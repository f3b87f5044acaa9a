package io.netloom.openflow;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon timer thread shared by all open channels, started with the first channel and stopped with the last, so
 * that closing every channel leaves no thread behind.
 */
final class SharedScheduler {
    static final String THREAD_NAME = "openflow-scheduler";

    private static final ThreadLocal<Boolean> ON_SCHEDULER = ThreadLocal.withInitial(() -> false);

    private static ScheduledThreadPoolExecutor executor;
    private static int users;

    private SharedScheduler() {
    }

    static synchronized ScheduledExecutorService acquire() {
        if (executor == null) {
            executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(() -> {
                    ON_SCHEDULER.set(true);
                    r.run();
                }, THREAD_NAME);
                t.setDaemon(true);
                return t;
            });
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        }
        users++;
        return executor;
    }

    static void release() {
        ScheduledThreadPoolExecutor stopping = null;
        synchronized (SharedScheduler.class) {
            if (--users == 0) {
                stopping = executor;
                executor = null;
                stopping.shutdown();
            }
        }
        if (stopping != null && !ON_SCHEDULER.get()) {
            try {
                stopping.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.orchestra.core.storage;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * JDBI registers a Flight Recorder event type before its first statement, which sets up JFR's event metadata: JFR's
 * classes stay out of the AOT cache, so that was about 0.14 s of a start, spent on the thread that opens the server
 * and waiting for nothing else. Opening the first database starts it on a thread of its own, beside the pool's first
 * connection; the first statement then finds it done (or waits for the rest of it).
 */
final class JdbiEvents {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private JdbiEvents() {}

    static void prepareInBackground() {
        if (STARTED.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("jdbi-events").start(JdbiEvents::prepare);
        }
    }

    private static void prepare() {
        try {
            Class.forName("org.jdbi.v3.core.statement.internal.JfrSupport", true, JdbiEvents.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // Another JDBI version: its first statement does the work, as before.
        }
    }
}

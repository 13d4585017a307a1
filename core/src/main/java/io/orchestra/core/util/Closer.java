package io.orchestra.core.util;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a module or the composition root has opened (pools, clients, threads), closed in reverse
 * order: on a normal stop, and when construction fails halfway, so a failed start leaves nothing
 * running. One resource failing to close does not keep the others open.
 */
public final class Closer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Closer.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    /** Registers a resource to close and returns it, so opening and registering is one expression. */
    public synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Closes everything registered, last first; failures are logged. */
    @Override
    public void close() {
        closeAll(null);
    }

    /** Closes everything after a failed construction; failures to close are attached to {@code cause}. */
    public void closeAfterFailure(Throwable cause) {
        closeAll(cause);
    }

    private void closeAll(Throwable cause) {
        while (true) {
            AutoCloseable next;
            synchronized (this) {
                next = resources.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.close();
            } catch (Exception e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else {
                    LOG.warn("{} did not close cleanly: {}", next, e.toString());
                }
            }
        }
    }
}

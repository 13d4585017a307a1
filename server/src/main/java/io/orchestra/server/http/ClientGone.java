package io.orchestra.server.http;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The client closed the connection while we were still writing: normal for streams, not a server error. */
public final class ClientGone extends UncheckedIOException {
    public ClientGone(IOException cause) {
        super("client went away", cause);
    }

    /** True when {@code e} or one of its causes is a hang-up (ours, or Jetty's EOF on a closed connection). */
    static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClientGone || t instanceof org.eclipse.jetty.io.EofException) {
                return true;
            }
        }
        return false;
    }
}

package io.orchestra.server.cli;

import io.orchestra.core.config.OrchestraConfig;
import io.orchestra.server.Orchestra;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start the server (migrates the database first).")
final class ServeCommand implements Runnable {
    private static volatile boolean serving;

    static boolean serving() {
        return serving;
    }

    @Override
    public void run() {
        OrchestraConfig config = OrchestraCli.loadConfig(false);
        Orchestra orchestra = Orchestra.start(config);
        serving = true;
        orchestra.generatedAdminKey().ifPresent(key -> System.out.println("""

                ================================================================
                 Orchestra generated an admin API key. It is shown only once:

                   %s

                 Use it as 'Authorization: Bearer <key>'. Only its hash is stored.
                ================================================================
                """.formatted(key)));
        System.out.println("Orchestra " + io.orchestra.server.Version.current() + " on http://localhost:"
                + orchestra.port() + " (profile " + config.env().wire() + ", database "
                + orchestra.database().kind().wire() + ")");
        orchestra.warm().thenRun(() -> {
            System.out.println("Ready: embedding model and vector index loaded, "
                    + ProcessHandle.current()
                            .info()
                            .startInstant()
                            .map(started -> java.time.Duration.between(started, java.time.Instant.now())
                                            .toMillis()
                                    + " ms after start")
                            .orElse(""));
            // The warm-up's garbage (the model read through the heap, the indexes rebuilt from the tables)
            // keeps the heap grown until the next full collection; one now hands it back to the OS (the
            // launcher's MaxHeapFreeRatio) before traffic begins: about 30 MiB of an idle server's RSS.
            System.gc();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            orchestra.close();
                            stopped.countDown();
                        },
                        "orchestra-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.orchestra.memory.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading the in-process model does not "call home": DJL's tokenizer, left to itself, asks the cloud metadata address
 * for an EC2 token and sends the instance id to DJL's telemetry bucket. Its connection bypasses any proxy, so the
 * test reads DJL's own record of the attempt (the time of its last check-in, set before it connects) in a child JVM
 * that loaded the model and embedded a text; the child's environment must not opt out for it.
 */
class LocalEmbedderNoCallsTest {
    @TempDir
    Path dir;

    @Test
    void loadingTheModelMakesNoTelemetryCall() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path out = dir.resolve("out.txt");
        ProcessBuilder start = new ProcessBuilder(List.of(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        OneEmbedding.class.getName(),
                        dir.resolve("data").toString()))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        start.environment().remove("OPT_OUT_TRACKING");
        Process child = start.start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out);
        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("dimensions=384", "lastCheckIn=0");
    }

    /** The child: loads the model, embeds one text, and prints when DJL last tried to call home (0: never). */
    public static final class OneEmbedding {
        public static void main(String[] args) throws Exception {
            try (LocalEmbedder embedder = new LocalEmbedder(Path.of(args[0]))) {
                System.out.println("dimensions=" + embedder.embed("the quarterly budget review").length);
            }
            Field lastCheckIn = Class.forName("ai.djl.util.Ec2Utils").getDeclaredField("lastCheckIn");
            lastCheckIn.setAccessible(true);
            System.out.println("lastCheckIn=" + lastCheckIn.getLong(null));
        }
    }
}

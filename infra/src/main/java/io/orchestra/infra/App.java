package io.orchestra.infra;

import com.pulumi.Pulumi;
import java.util.concurrent.ForkJoinPool;

/** `pulumi up` runs this (Pulumi.yaml: runtime java, through Maven's exec:java). */
public final class App {
    static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    private App() {}

    public static void main(String[] args) {
        // Pulumi's Java runner reschedules its wait loop on the common pool; with one worker (a 2-core machine)
        // that loop starves the tasks it waits for and the program never ends. Set before the pool exists.
        if (System.getProperty(PARALLELISM) == null) {
            System.setProperty(PARALLELISM, "4");
        }
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            System.err.println("The common ForkJoinPool has one worker, with which the Pulumi Java SDK hangs: run with"
                    + " MAVEN_OPTS=-D" + PARALLELISM + "=4");
            System.exit(2);
        }
        Pulumi.run(OrchestraStack::define);
    }
}

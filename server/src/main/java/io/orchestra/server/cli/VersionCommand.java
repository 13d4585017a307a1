package io.orchestra.server.cli;

import io.orchestra.server.Version;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("orchestra " + Version.current() + " (Java " + Runtime.version() + ")");
    }
}

package io.orchestra.server.cli;

import io.orchestra.core.config.ConfigLoader;
import io.orchestra.server.doctor.Doctor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = "Check this environment; exit 1 when anything fails.")
final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        Logging.configure("text", true);
        List<Doctor.Check> checks = new Doctor(ConfigLoader.fromProcess(Map.of())).run();
        System.out.print(Doctor.table(checks));
        boolean ok = checks.stream().allMatch(Doctor.Check::ok);
        System.out.println(ok ? "All checks passed." : "Some checks failed.");
        return ok ? 0 : 1;
    }
}

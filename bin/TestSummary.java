import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The end of `make test`: one line per module and a total (run, failed, skipped), then each failed test and each
 * skip with its reason, read from Surefire's XML reports (module/target/surefire-reports). Run with the JDK's source
 * launcher: `java bin/TestSummary.java [repo root]`. Its lines never take Surefire's "Tests run:" form.
 */
public class TestSummary {
    record Counts(int run, int failed, int skipped) {
        Counts plus(Counts o) {
            return new Counts(run + o.run, failed + o.failed, skipped + o.skipped);
        }
    }

    record Skip(String module, String test, String reason) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Map<String, Counts> modules = new TreeMap<>();
        List<Skip> skips = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<Path> reports;
        try (Stream<Path> found = Files.find(root, 4, (p, a) -> p.getFileName().toString().matches("TEST-.*\\.xml")
                && p.getParent().getFileName().toString().equals("surefire-reports"))) {
            reports = found.sorted().toList();
        }
        var factory = DocumentBuilderFactory.newInstance();
        for (Path report : reports) {
            String module = root.relativize(report).getName(0).toString();
            Element suite = factory.newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            int tests = number(suite, "tests");
            Counts counts = new Counts(
                    tests, number(suite, "failures") + number(suite, "errors"), number(suite, "skipped"));
            modules.merge(module, counts, Counts::plus);
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                for (String kind : List.of("failure", "error")) {
                    if (testCase.getElementsByTagName(kind).getLength() > 0) {
                        failures.add(module + " " + simpleName(testCase.getAttribute("classname")) + "."
                                + testCase.getAttribute("name"));
                    }
                }
                NodeList skipped = testCase.getElementsByTagName("skipped");
                if (skipped.getLength() > 0) {
                    String reason = ((Element) skipped.item(0)).getAttribute("message");
                    skips.add(new Skip(
                            module,
                            simpleName(testCase.getAttribute("classname")) + "." + testCase.getAttribute("name"),
                            reason.isBlank() ? "no reason given" : reason));
                }
            }
        }
        if (modules.isEmpty()) {
            System.out.println("[summary] no test reports found under " + root.toAbsolutePath().normalize());
            return;
        }
        Counts total = new Counts(0, 0, 0);
        System.out.println("[summary] tests per module:");
        for (var entry : modules.entrySet()) {
            System.out.println(line(entry.getKey(), entry.getValue()));
            total = total.plus(entry.getValue());
        }
        System.out.println(line("total", total));
        for (String failure : failures) {
            System.out.println("[summary] FAILED " + failure);
        }
        for (Skip skip : skips) {
            System.out.println("[summary] SKIPPED " + skip.module() + " " + skip.test() + ": " + skip.reason());
        }
    }

    static String line(String name, Counts c) {
        return String.format("[summary]   %-8s %4d run, %3d failed, %3d skipped", name, c.run, c.failed, c.skipped);
    }

    static int number(Element e, String attribute) {
        String value = e.getAttribute(attribute);
        return value.isBlank() ? 0 : Integer.parseInt(value);
    }

    static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}

package io.orchestra.memory.embeddings;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.orchestra.core.util.UnpackedResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model and ONNX Runtime's libraries are unpacked into the data directory once and reused after. */
class LocalEmbedderFilesTest {
    @TempDir
    Path dataDir;

    @Test
    void theModelIsUnpackedOnceAndLaterStartsReuseIt() throws Exception {
        float[] first = new LocalEmbedder(dataDir)
                .embed(List.of("the quarterly budget review"))
                .get(0);
        Path model = onlyFile(dataDir.resolve("models"), "all-minilm-l6-v2-q.onnx");
        assertThat(Files.size(model)).isGreaterThan(10_000_000);
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(model, written);

        float[] again = new LocalEmbedder(dataDir)
                .embed(List.of("the quarterly budget review"))
                .get(0);
        assertThat(again).containsExactly(first);
        assertThat(Files.getLastModifiedTime(model)).as("not written again").isEqualTo(written);
        try (Stream<Path> files = Files.list(model.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2-q.onnx");
        }
    }

    @Test
    void aFileCutShortIsWrittenAgainAndLibrariesShareOneDirectory() throws Exception {
        List<String> libraries = LocalEmbedder.onnxRuntimeLibraries().orElse(List.of("/none"));
        Assumptions.assumeTrue(
                OrtEnvironment.class.getResource(libraries.get(0)) != null,
                "ONNX Runtime's jar has no libraries for this platform");
        Path dir = UnpackedResources.unpack(OrtEnvironment.class, libraries, dataDir)
                .orElseThrow();
        Path runtime = dir.resolve(System.mapLibraryName("onnxruntime"));
        long size = Files.size(runtime);
        assertThat(size).isGreaterThan(1_000_000);
        assertThat(dir.resolve(System.mapLibraryName("onnxruntime4j_jni"))).isRegularFile();

        Files.write(runtime, new byte[10]); // as a start stopped by a full disk might leave it
        assertThat(UnpackedResources.unpack(OrtEnvironment.class, libraries, dataDir))
                .contains(dir);
        assertThat(Files.size(runtime)).isEqualTo(size);
    }

    @Test
    void aResourceOutsideAJarOrMissingIsNotUnpacked() {
        assertThat(UnpackedResources.unpack(LocalEmbedderFilesTest.class, List.of("/no-such-file.bin"), dataDir))
                .isEmpty();
        assertThat(UnpackedResources.unpack(
                        AllMiniLmL6V2QuantizedEmbeddingModel.class,
                        List.of("/all-minilm-l6-v2-q.onnx", "/no-such-file.bin"),
                        dataDir))
                .isEmpty();
    }

    private static Path onlyFile(Path parent, String name) throws Exception {
        try (Stream<Path> dirs = Files.list(parent)) {
            List<Path> found =
                    dirs.map(d -> d.resolve(name)).filter(Files::isRegularFile).toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }
}

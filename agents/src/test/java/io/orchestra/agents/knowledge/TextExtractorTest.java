package io.orchestra.agents.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestra.core.jobs.PermanentJobFailure;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files of each supported format, made here with the same libraries that write them in the wild. */
class TextExtractorTest {
    @TempDir
    Path dir;

    final TextExtractor extractor = new TextExtractor();

    /** A one-page PDF with the given lines; shared with the HTTP tests. */
    public static Path pdf(Path file, String... lines) throws Exception {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLineAtOffset(0, -16);
                }
                content.endText();
            }
            doc.save(file.toFile());
        }
        return file;
    }

    @Test
    void readsPdf() throws Exception {
        Path file =
                pdf(dir.resolve("trial.pdf"), "Phase II trials test efficacy.", "Protocol ORC-7 enrols 120 patients.");
        TextExtractor.Extracted out = extractor.extract(file, "trial.pdf");
        assertThat(out.mediaType()).isEqualTo("application/pdf");
        assertThat(out.text())
                .contains("Phase II trials test efficacy.")
                .contains("Protocol ORC-7 enrols 120 patients.");
    }

    @Test
    void readsDocx() throws Exception {
        Path file = dir.resolve("policy.docx");
        try (XWPFDocument doc = new XWPFDocument();
                OutputStream out = Files.newOutputStream(file)) {
            doc.createParagraph().createRun().setText("Refund policy: chargebacks within 120 days.");
            doc.write(out);
        }
        TextExtractor.Extracted out = extractor.extract(file, "policy.docx");
        assertThat(out.mediaType()).contains("wordprocessingml");
        assertThat(out.text()).contains("Refund policy: chargebacks within 120 days.");
    }

    @Test
    void readsHtmlWithoutMarkup() throws Exception {
        Path file = Files.writeString(
                dir.resolve("page.html"),
                "<html><head><title>T</title><script>var x=1;</script></head><body><h1>Interchange</h1><p>Fees are <b>paid</b> by acquirers.</p></body></html>");
        String text = extractor.extract(file, "page.html").text();
        assertThat(text)
                .contains("Interchange")
                .contains("Fees are paid by acquirers.")
                .doesNotContain("<b>")
                .doesNotContain("var x");
    }

    @Test
    void readsMarkdownAndText() throws Exception {
        Path md = Files.writeString(dir.resolve("notes.md"), "# Coding\n\nICD-10 code E11.9 is type 2 diabetes.\n");
        assertThat(extractor.extract(md, "notes.md").text()).contains("ICD-10 code E11.9 is type 2 diabetes.");
        Path txt = Files.writeString(dir.resolve("plain.txt"), "Just text.");
        assertThat(extractor.extract(txt, "plain.txt").text()).isEqualTo("Just text.");
    }

    @Test
    void rejectsFilesWithoutTextAsPermanentFailures() throws Exception {
        Path empty = pdf(dir.resolve("scan.pdf"));
        assertThatThrownBy(() -> extractor.extract(empty, "scan.pdf"))
                .isInstanceOf(PermanentJobFailure.class)
                .hasMessageContaining("no text found");
        Path corrupt = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7 garbage".getBytes());
        assertThatThrownBy(() -> extractor.extract(corrupt, "broken.pdf")).isInstanceOf(PermanentJobFailure.class);
    }
}
